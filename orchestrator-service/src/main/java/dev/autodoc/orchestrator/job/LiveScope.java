package dev.autodoc.orchestrator.job;

import java.time.Instant;

/** What the worker running a scope reports in its own table: read, never written, here. */
public record LiveScope(String status, int attempt, String workerId, Instant heartbeatAt) {}
