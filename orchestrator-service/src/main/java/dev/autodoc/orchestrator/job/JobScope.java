package dev.autodoc.orchestrator.job;

import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.event.QualitySummary;
import dev.autodoc.common.event.ScanInventory;
import dev.autodoc.common.event.ScopeStatus;
import dev.autodoc.common.event.TokenUsage;
import java.time.Instant;
import java.util.List;

/** One scope of a job, as the orchestrator last heard of it. */
public record JobScope(
    String path,
    String name,
    List<String> excludedPaths,
    ScopeStatus status,
    int attempt,
    String workerId,
    ScanInventory inventory,
    QualitySummary quality,
    TokenUsage tokens,
    ErrorReport error,
    Long durationMillis,
    Instant finishedAt) {}
