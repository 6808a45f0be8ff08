package dev.autodoc.orchestrator.job;

import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobCompleted;
import dev.autodoc.common.event.JobProgress;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.event.ScopeStatus;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.orchestrator.git.PullRequests;
import dev.autodoc.support.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The end of a job: its pull request opened, its final status, its error report, and the one
 * JobCompleted that announces it.
 */
@ApplicationScoped
public class JobFinalizer {
  private final JobRepository jobs;
  private final Pool pool;
  private final Outbox outbox;
  private final OrchestratorConfig config;
  private final MeterRegistry registry;
  private final PullRequests pullRequests;
  private final JobSteps steps;

  JobFinalizer(
      JobRepository jobs,
      Outbox outbox,
      OrchestratorConfig config,
      MeterRegistry registry,
      PullRequests pullRequests,
      JobSteps steps) {
    this.jobs = jobs;
    this.pool = jobs.pool();
    this.outbox = outbox;
    this.config = config;
    this.registry = registry;
    this.pullRequests = pullRequests;
    this.steps = steps;
  }

  /**
   * Ends a finalizing job. First the documentation pull request is opened (outside any transaction:
   * it is git and HTTP work, and pushing the same branch again is harmless); a transient failure
   * leaves the job finalizing, to be taken up again after the step lease. Then, in one transaction:
   * COMPLETED when every scope succeeded and the pull request could be opened, FAILED with a
   * per-scope error report (or the pull request's) otherwise, and JobCompleted appended, so it is
   * emitted once.
   */
  Uni<Void> finish(UUID jobId) {
    return jobs.find(pool, jobId)
        .chain(
            job ->
                job.isEmpty() || job.get().status() != JobStatus.FINALIZING
                    ? Uni.createFrom().item(Published.NONE)
                    : steps
                        .record(jobId, JobSteps.FINALIZE, JobProgress.Phase.STARTED)
                        .chain(() -> faultInjected(jobs.scopes(pool, jobId)))
                        .chain(scopes -> pullRequests.open(job.get(), scopes))
                        .map(Published::opened)
                        .onFailure(PermanentException.class)
                        .recoverWithItem(
                            e ->
                                Published.failed(
                                    ErrorReport.of(
                                        ((PermanentException) e).reason(),
                                        "the pull request could not be opened: "
                                            + e.getMessage()))))
        .chain(published -> end(jobId, published));
  }

  private <T> Uni<T> faultInjected(Uni<T> step) {
    return config.faultInjectionFinalizeDelay().isPresent()
        ? step.onItem().delayIt().by(config.faultInjectionFinalizeDelay().get())
        : step;
  }

  /** The pull request a finishing job opened, or why it could not. */
  private record Published(Optional<PullRequest> pullRequest, ErrorReport failure) {
    static final Published NONE = new Published(Optional.empty(), null);

    static Published opened(Optional<PullRequest> pullRequest) {
      return new Published(pullRequest, null);
    }

    static Published failed(ErrorReport failure) {
      return new Published(Optional.empty(), failure);
    }
  }

  private Uni<Void> end(UUID jobId, Published published) {
    return pool.withTransaction(
            tx ->
                jobs.findForUpdate(tx, jobId)
                    .chain(
                        job -> {
                          if (job.isEmpty() || job.get().status() != JobStatus.FINALIZING) {
                            return Uni.createFrom().voidItem();
                          }
                          return jobs.scopes(tx, jobId)
                              .chain(
                                  scopes -> {
                                    List<JobScope> failed =
                                        scopes.stream()
                                            .filter(s -> s.status() == ScopeStatus.FAILED)
                                            .toList();
                                    JobStatus status =
                                        failed.isEmpty() && published.failure() == null
                                            ? JobStatus.COMPLETED
                                            : JobStatus.FAILED;
                                    ErrorReport error =
                                        failed.isEmpty()
                                            ? published.failure()
                                            : ErrorReport.of(
                                                failed.getFirst().error().reason(),
                                                failed.size()
                                                    + " of "
                                                    + scopes.size()
                                                    + " scopes failed: "
                                                    + String.join(
                                                        "; ",
                                                        failed.stream()
                                                            .map(
                                                                s ->
                                                                    JobService.display(s.path())
                                                                        + " ("
                                                                        + s.error().message()
                                                                        + ")")
                                                            .toList()));
                                    PullRequest pr = published.pullRequest().orElse(null);
                                    Uni<Void> record =
                                        pr == null
                                            ? Uni.createFrom().voidItem()
                                            : jobs.setPullRequest(tx, jobId, pr);
                                    // The step ends before the job does: the job's
                                    // final status is the last event of its stream.
                                    Uni<Void> finalized =
                                        published.failure() == null
                                            ? steps.record(
                                                tx,
                                                jobId,
                                                JobSteps.FINALIZE,
                                                JobProgress.Phase.FINISHED,
                                                pr == null ? null : "pull request " + pr.url())
                                            : steps.record(
                                                tx,
                                                jobId,
                                                JobSteps.FINALIZE,
                                                JobProgress.Phase.FAILED,
                                                published.failure().message());
                                    return finalized
                                        .chain(
                                            () ->
                                                jobs.transition(
                                                    tx, jobId, JobStatus.FINALIZING, status))
                                        .chain(() -> record)
                                        .chain(() -> end(tx, job.get(), status, error, pr));
                                  });
                        }))
        .invoke(outbox::wake);
  }

  /** Records the end state's error and appends JobCompleted; the caller has made the transition. */
  Uni<Void> end(
      SqlConnection tx, Job job, JobStatus status, ErrorReport error, PullRequest pullRequest) {
    registry
        .counter(
            MetricNames.JOBS_FINISHED,
            MetricNames.TAG_STATUS,
            status.name(),
            MetricNames.TAG_REPOSITORY,
            job.repositoryId())
        .increment();
    Timer.builder(MetricNames.JOB_DURATION)
        .tag(MetricNames.TAG_STATUS, status.name())
        .tag(MetricNames.TAG_REPOSITORY, job.repositoryId())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofSeconds(1))
        .maximumExpectedValue(Duration.ofHours(2))
        .register(registry)
        .record(Duration.between(job.createdAt(), Instant.now()));
    Uni<Void> setError =
        error == null ? Uni.createFrom().voidItem() : jobs.setError(tx, job.id(), error);
    return setError
        .chain(() -> jobs.scopes(tx, job.id()))
        .chain(
            scopes -> {
              var results =
                  scopes.stream()
                      .map(
                          s ->
                              new JobCompleted.ScopeResult(
                                  s.path(),
                                  s.status(),
                                  s.attempt(),
                                  s.error(),
                                  s.quality(),
                                  s.tokens()))
                      .toList();
              var completed =
                  new JobCompleted(
                      UUID.randomUUID(),
                      job.id(),
                      Instant.now(),
                      AutodocEvent.SCHEMA_VERSION,
                      job.repositoryId(),
                      job.repositoryUrl(),
                      status,
                      job.commitSha(),
                      job.baselineSha(),
                      results,
                      error,
                      pullRequest,
                      job.callbackUrl());
              return outbox.append(tx, completed);
            });
  }
}
