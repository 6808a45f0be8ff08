package dev.autodoc.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.event.JobMode;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.event.QualityReport;
import dev.autodoc.common.event.QualitySummary;
import dev.autodoc.common.event.ScanInventory;
import dev.autodoc.common.event.ScopeStatus;
import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.orchestrator.job.CallbackDelivery;
import dev.autodoc.orchestrator.job.Job;
import dev.autodoc.orchestrator.job.JobDetails;
import dev.autodoc.orchestrator.job.JobScope;
import dev.autodoc.orchestrator.job.LiveScope;
import dev.autodoc.orchestrator.job.StepTimeline;
import dev.autodoc.orchestrator.plan.JobPlan;
import dev.autodoc.orchestrator.repository.SearchIndex;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as the API shows it; {@code tokens} sums the LLM tokens its scopes reported, {@code
 * quality} is the reconciler's report (per scope and overall), {@code callback} the delivery of its
 * callback with every attempt. {@code plan} is what planning decided for every scope (with the
 * reason, and estimated LLM tokens); {@code scopes} are the scopes dispatched, so a scope with
 * nothing to do appears only in the plan. {@code steps} are the orchestrator's own steps (plan,
 * fan-out, finalize), each scope has its own, and {@code stepTotals} sums the time per step: where
 * the job's time went. {@code traceId} names the job's trace: its spans, when the services export
 * them, and its log lines, which carry it. {@code index} counts the job's pages with text to search
 * and those whose text search does not find yet: workers make the vectors after the job's scopes
 * are done, so it reaches zero a little after the job ends.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
    UUID id,
    Repository repository,
    String branch,
    JobMode mode,
    boolean force,
    boolean dryRun,
    String callbackUrl,
    JobStatus status,
    String commitSha,
    String baselineSha,
    JobPlan plan,
    List<ScopeView> scopes,
    TokenUsage tokens,
    QualityReport quality,
    PullRequest pullRequest,
    CallbackDelivery callback,
    ErrorReport error,
    List<StepTimeline.Step> steps,
    List<StepTimeline.Total> stepTotals,
    String traceId,
    SearchIndex.Coverage index,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  public record Repository(String id, String url) {}

  /**
   * A scope: its end state once reported, else what its worker says live. A scope of a running job
   * that no worker has taken shows since when it waits for one, and for how many seconds.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScopeView(
      String path,
      String name,
      List<String> excludedPaths,
      ScopeStatus status,
      int attempt,
      String workerId,
      Instant heartbeatAt,
      ScanInventory inventory,
      QualitySummary quality,
      TokenUsage tokens,
      ErrorReport error,
      Long durationMillis,
      Instant waitingForWorkerSince,
      Long waitingForWorkerSeconds,
      List<StepTimeline.Step> steps) {}

  public static JobView of(JobDetails details) {
    List<ScopeView> scopes =
        details.scopes().stream()
            .map(
                s ->
                    scope(
                        details.job(),
                        s,
                        details.live().get(s.path()),
                        details.timeline().scopes().getOrDefault(s.path(), List.of())))
            .toList();
    return of(
        details.job(),
        scopes,
        details.quality().orElse(null),
        details.callback().orElse(null),
        details.timeline(),
        details.index().orElse(null));
  }

  /** Without scopes, for listings. */
  public static JobView summary(Job job) {
    return of(job, null, null, null, null, null);
  }

  private static JobView of(
      Job job,
      List<ScopeView> scopes,
      QualityReport quality,
      CallbackDelivery callback,
      StepTimeline timeline,
      SearchIndex.Coverage index) {
    return new JobView(
        job.id(),
        new Repository(job.repositoryId(), job.repositoryUrl()),
        job.branch(),
        job.mode(),
        job.force(),
        job.dryRun(),
        job.callbackUrl(),
        job.status(),
        job.commitSha(),
        job.baselineSha(),
        scopes == null ? null : job.plan(),
        scopes,
        scopes == null ? null : TokenUsage.sum(scopes.stream().map(ScopeView::tokens)),
        quality,
        job.pullRequest(),
        callback,
        job.error(),
        timeline == null ? null : timeline.job(),
        timeline == null ? null : timeline.totals(),
        job.traceId(),
        index,
        job.createdAt(),
        job.startedAt(),
        job.finishedAt());
  }

  private static ScopeView scope(
      Job job, JobScope s, LiveScope live, List<StepTimeline.Step> steps) {
    boolean reported = s.status().isFinal() || live == null;
    ScopeStatus status = reported ? s.status() : ScopeStatus.valueOf(live.status());
    Instant waitingSince =
        live == null
                && status == ScopeStatus.PENDING
                && job.status() == dev.autodoc.common.event.JobStatus.RUNNING
                && job.startedAt() != null
            ? job.startedAt()
            : null;
    return new ScopeView(
        s.path(),
        s.name(),
        s.excludedPaths(),
        status,
        reported ? s.attempt() : live.attempt(),
        reported ? s.workerId() : live.workerId(),
        live == null ? null : live.heartbeatAt(),
        s.inventory(),
        s.quality(),
        s.tokens(),
        s.error(),
        s.durationMillis(),
        waitingSince,
        waitingSince == null
            ? null
            : java.time.Duration.between(waitingSince, Instant.now()).toSeconds(),
        steps);
  }
}
