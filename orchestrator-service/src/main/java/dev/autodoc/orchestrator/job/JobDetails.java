package dev.autodoc.orchestrator.job;

import java.util.List;
import java.util.Map;

/** A job with its scopes and, for scopes still running, what their workers report. */
public record JobDetails(Job job, List<JobScope> scopes, Map<String, LiveScope> live) {}
