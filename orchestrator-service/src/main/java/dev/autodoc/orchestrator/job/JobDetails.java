package dev.autodoc.orchestrator.job;

import dev.autodoc.common.event.QualityReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job with its scopes, what the workers of scopes still running report, what the services after
 * the job recorded (its quality report and its callback delivery), its step timeline, and how much
 * of its pages search finds yet.
 */
public record JobDetails(
    Job job,
    List<JobScope> scopes,
    Map<String, LiveScope> live,
    Optional<QualityReport> quality,
    Optional<CallbackDelivery> callback,
    StepTimeline timeline,
    Optional<dev.autodoc.orchestrator.repository.SearchIndex.Coverage> index) {}
