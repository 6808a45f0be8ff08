package dev.autodoc.orchestrator.job;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job with its scopes, what the workers of scopes still running report, and what the services
 * after the job recorded: its callback delivery.
 */
public record JobDetails(
    Job job,
    List<JobScope> scopes,
    Map<String, LiveScope> live,
    Optional<CallbackDelivery> callback) {}
