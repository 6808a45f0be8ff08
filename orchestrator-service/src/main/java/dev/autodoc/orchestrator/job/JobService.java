package dev.autodoc.orchestrator.job;

import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobCompleted;
import dev.autodoc.common.event.JobProgress;
import dev.autodoc.common.event.JobRequested;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.event.ScopeCompleted;
import dev.autodoc.common.event.ScopeFailed;
import dev.autodoc.common.event.ScopeOutcome;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.event.ScopeStatus;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.common.scope.Scope;
import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.orchestrator.plan.ChangePlanner;
import dev.autodoc.orchestrator.plan.JobPlan;
import dev.autodoc.orchestrator.plan.JobPlanner;
import dev.autodoc.support.inbox.ProcessedEvents;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The life of a job: intake, admission, planning and fan-out, fan-in and the end. Each step is one
 * transaction that changes the job and appends the events it implies to the outbox, so a crash
 * between the two cannot happen; every consumer step records its event in the same transaction, so
 * a redelivered event has no second effect.
 */
@ApplicationScoped
public class JobService {
  private static final Logger LOG = Logger.getLogger(JobService.class);
  static final String CONSUMER = "orchestrator";

  private final JobRepository jobs;
  private final Pool pool;
  private final Outbox outbox;
  private final ProcessedEvents processed;
  private final JobPlanner planner;
  private final OrchestratorConfig config;
  private final MeterRegistry registry;
  private final dev.autodoc.orchestrator.git.PullRequests pullRequests;
  private final JobEvents events;
  private final JobSteps steps;
  private final AtomicBoolean admitting = new AtomicBoolean();
  private final AtomicBoolean admitAgain = new AtomicBoolean();

  JobService(
      JobRepository jobs,
      Outbox outbox,
      ProcessedEvents processed,
      JobPlanner planner,
      OrchestratorConfig config,
      MeterRegistry registry,
      dev.autodoc.orchestrator.git.PullRequests pullRequests,
      JobEvents events,
      JobSteps steps) {
    this.pullRequests = pullRequests;
    this.events = events;
    this.steps = steps;
    this.jobs = jobs;
    this.pool = jobs.pool();
    this.outbox = outbox;
    this.processed = processed;
    this.planner = planner;
    this.config = config;
    this.registry = registry;
  }

  /** The outcome of a submission: the job, and whether an earlier identical submission made it. */
  public record Submission(Job job, boolean replayed) {}

  private record Stored(UUID id, boolean replayed) {}

  /**
   * Queues a job and publishes its JobRequested. With an idempotency key, a retried submission of
   * the same request returns the job the first one made; the same key with another request is a
   * conflict.
   */
  public Uni<Submission> submit(NewJob request, String idempotencyKey, String requestHash) {
    return pool.withTransaction(
            tx ->
                jobs.insert(tx, request, idempotencyKey, requestHash)
                    .chain(
                        inserted -> {
                          if (inserted) {
                            return outbox
                                .append(tx, requested(request))
                                .replaceWith(new Stored(request.id(), false));
                          }
                          if (idempotencyKey == null) {
                            throw new PermanentException(
                                Reason.CONFLICT, "job " + request.id() + " exists already");
                          }
                          return jobs.findByIdempotencyKey(tx, idempotencyKey)
                              .map(
                                  existing -> {
                                    var found =
                                        existing.orElseThrow(
                                            () ->
                                                new PermanentException(
                                                    Reason.CONFLICT,
                                                    "job " + request.id() + " exists already"));
                                    if (!found.requestHash().equals(requestHash)) {
                                      throw new PermanentException(
                                          Reason.CONFLICT,
                                          "Idempotency-Key '"
                                              + idempotencyKey
                                              + "' was used for a different request (job "
                                              + found.id()
                                              + ")");
                                    }
                                    return new Stored(found.id(), true);
                                  });
                        }))
        .chain(
            stored ->
                jobs.find(pool, stored.id())
                    .map(job -> new Submission(job.orElseThrow(), stored.replayed())))
        .invoke(
            s -> {
              if (!s.replayed()) {
                registry.counter(MetricNames.JOBS_SUBMITTED).increment();
                afterCommit();
              }
            });
  }

  /**
   * A JobRequested from Kafka. Requests this service published itself exist already and change
   * nothing.
   */
  public Uni<Void> intake(JobRequested event) {
    NewJob request =
        JobRequestValidator.toJob(
            new JobRequestValidator.Draft(
                event.jobId(),
                event.repository(),
                event.branch(),
                event.mode() == null ? null : event.mode().name(),
                event.force(),
                event.dryRun(),
                event.callbackUrl()));
    return pool.withTransaction(
            tx ->
                processed
                    .firstTime(tx, event.eventId(), CONSUMER)
                    .chain(
                        first ->
                            first
                                ? jobs.insert(tx, request, null, null)
                                : Uni.createFrom().item(false)))
        .invoke(
            inserted -> {
              if (inserted) {
                registry.counter(MetricNames.JOBS_SUBMITTED).increment();
              }
              admitSoon();
            })
        .replaceWithVoid();
  }

  public Uni<JobDetails> details(UUID id) {
    return jobs.find(pool, id)
        .chain(
            job -> {
              Job found = job.orElseThrow(() -> notFound(id));
              // The scopes, and what the workers and the services after the job recorded.
              return Uni.combine()
                  .all()
                  .unis(
                      jobs.scopes(pool, id),
                      liveScopes(id),
                      QualityReports.of(pool, id),
                      CallbackDelivery.of(pool, id),
                      events.timeline(pool, id).map(StepTimeline::of))
                  .with(
                      (scopes, live, quality, callback, timeline) ->
                          new JobDetails(found, scopes, live, quality, callback, timeline));
            });
  }

  public Uni<List<Job>> list(
      String repositoryId, JobStatus status, Instant afterCreated, UUID afterId, int limit) {
    return jobs.list(repositoryId, status, afterCreated, afterId, limit);
  }

  /** Cancels a job that has not ended; its JobCompleted says CANCELLED. */
  public Uni<JobDetails> cancel(UUID id) {
    return pool.withTransaction(
            tx ->
                jobs.findForUpdate(tx, id)
                    .chain(
                        job -> {
                          Job found = job.orElseThrow(() -> notFound(id));
                          if (found.status().isFinal()) {
                            throw new PermanentException(
                                Reason.CONFLICT,
                                "job " + id + " has ended already: " + found.status());
                          }
                          return jobs.transition(tx, id, found.status(), JobStatus.CANCELLED)
                              .chain(() -> end(tx, found, JobStatus.CANCELLED, null, null));
                        }))
        .invoke(this::afterCommit)
        .chain(() -> details(id));
  }

  /** Applies a worker's report on a scope; the last report of a job finishes it. */
  public Uni<Void> applyOutcome(ScopeOutcome outcome) {
    UUID jobId = outcome.jobId();
    return pool.withTransaction(
            tx ->
                processed
                    .firstTime(tx, outcome.eventId(), CONSUMER)
                    .chain(
                        first -> {
                          if (!first) {
                            return Uni.createFrom().item(false);
                          }
                          return jobs.findScopeForUpdate(tx, jobId, outcome.scopePath())
                              .chain(
                                  scope -> {
                                    JobScope current =
                                        scope.orElseThrow(
                                            () ->
                                                new PermanentException(
                                                    Reason.SCOPE_NOT_FOUND,
                                                    "job "
                                                        + jobId
                                                        + " has no scope '"
                                                        + outcome.scopePath()
                                                        + "'"));
                                    if (current.status().isFinal()
                                        || outcome.attempt() < current.attempt()) {
                                      LOG.debugf(
                                          "ignoring a late report on %s:%s (attempt %d)",
                                          jobId, outcome.scopePath(), outcome.attempt());
                                      return Uni.createFrom().item(false);
                                    }
                                    return record(tx, outcome)
                                        .chain(() -> jobs.unfinishedScopes(tx, jobId))
                                        .chain(
                                            left ->
                                                left > 0
                                                    ? Uni.createFrom().item(false)
                                                    : jobs.transition(
                                                        tx,
                                                        jobId,
                                                        JobStatus.RUNNING,
                                                        JobStatus.FINALIZING));
                                  });
                        }))
        .invoke(
            finalizing -> {
              // Detached: opening the pull request (git, HTTP) must not hold up the consumer.
              if (finalizing) {
                finish(jobId)
                    .subscribe()
                    .with(ok -> {}, f -> LOG.errorf(f, "finishing job %s failed", jobId));
              }
            })
        .replaceWithVoid();
  }

  private Uni<Void> record(SqlConnection tx, ScopeOutcome outcome) {
    registry
        .counter(
            MetricNames.SCOPES_FINISHED,
            MetricNames.TAG_STATUS,
            outcome instanceof ScopeCompleted ? "SUCCEEDED" : "FAILED")
        .increment();
    Uni<Void> stored =
        switch (outcome) {
          case ScopeCompleted c ->
              jobs.finishScope(
                  tx,
                  c.jobId(),
                  c.scopePath(),
                  ScopeStatus.SUCCEEDED,
                  c.attempt(),
                  c.workerId(),
                  c.inventory(),
                  c.quality(),
                  c.tokens(),
                  null,
                  c.durationMillis());
          case ScopeFailed f ->
              jobs.finishScope(
                  tx,
                  f.jobId(),
                  f.scopePath(),
                  ScopeStatus.FAILED,
                  f.attempt(),
                  f.workerId(),
                  null,
                  null,
                  null,
                  f.error(),
                  f.durationMillis());
        };
    return stored.chain(
        () ->
            events.scope(
                tx,
                outcome.jobId(),
                outcome.scopePath(),
                outcome instanceof ScopeCompleted ? ScopeStatus.SUCCEEDED : ScopeStatus.FAILED,
                outcome.attempt(),
                outcome.workerId(),
                outcome instanceof ScopeFailed f ? f.error().message() : null));
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
                                                                    display(s.path())
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
        .invoke(this::afterCommit);
  }

  /** Records the end state's error and appends JobCompleted; the caller has made the transition. */
  private Uni<Void> end(
      SqlConnection tx, Job job, JobStatus status, ErrorReport error, PullRequest pullRequest) {
    registry.counter(MetricNames.JOBS_FINISHED, MetricNames.TAG_STATUS, status.name()).increment();
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

  @Scheduled(
      every = "${autodoc.orchestrator.admission-interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void admissionTick() {
    admitSoon();
  }

  /**
   * Starts planning every job that may start now; also takes up planning and finishing that was
   * abandoned.
   */
  public void admitSoon() {
    admitAgain.set(true);
    if (!admitting.compareAndSet(false, true)) {
      return;
    }
    admitAgain.set(false);
    pool.withTransaction(
            tx ->
                jobs.admit(tx, config.maxRunningJobs())
                    .chain(
                        admitted ->
                            jobs.reclaim(tx, JobStatus.PLANNING, config.stepLease())
                                .map(stale -> concat(admitted, stale)))
                    .chain(
                        toPlan ->
                            jobs.reclaim(tx, JobStatus.FINALIZING, config.stepLease())
                                .map(toFinish -> Map.of("plan", toPlan, "finish", toFinish))))
        .subscribe()
        .with(
            work -> {
              work.get("plan")
                  .forEach(
                      id ->
                          plan(id)
                              .subscribe()
                              .with(ok -> {}, f -> LOG.errorf(f, "planning job %s failed", id)));
              work.get("finish")
                  .forEach(
                      id ->
                          finish(id)
                              .subscribe()
                              .with(ok -> {}, f -> LOG.errorf(f, "finishing job %s failed", id)));
              admitting.set(false);
              if (admitAgain.get()) {
                admitSoon();
              }
            },
            failure -> {
              LOG.warnf("admission: %s", Failures.describe(failure));
              admitting.set(false);
            });
  }

  /**
   * Plans an admitted job and fans out one ScopeRequested per scope that has work, or fails the
   * job. A dry run, or a job none of whose scopes changed, ends once planned.
   */
  Uni<Void> plan(UUID jobId) {
    return steps
        .record(jobId, JobSteps.PLAN, JobProgress.Phase.STARTED)
        .chain(() -> jobs.find(pool, jobId))
        .chain(
            found -> {
              Job job = found.orElseThrow(() -> notFound(jobId));
              return planner
                  .plan(job)
                  .onFailure(Failures::isTransient)
                  .retry()
                  .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(15))
                  .atMost(config.git().attempts() - 1L)
                  .chain(plan -> fanOut(job, plan))
                  .onFailure()
                  .recoverWithUni(failure -> failPlanning(job, failure));
            })
        .invoke(this::afterCommit);
  }

  private Uni<Void> fanOut(Job job, JobPlanner.Planned planned) {
    JobPlan plan = planned.plan();
    Map<Scope, ChangePlanner.ScopePlan> dispatched = job.dryRun() ? Map.of() : planned.dispatched();
    AtomicBoolean nothingToRun = new AtomicBoolean();
    return pool.withTransaction(
            tx ->
                jobs.transition(tx, job.id(), JobStatus.PLANNING, JobStatus.RUNNING)
                    .chain(
                        moved -> {
                          if (!moved) {
                            return Uni.createFrom().voidItem(); // Cancelled while planning.
                          }
                          Instant now = Instant.now();
                          var requests = new ArrayList<AutodocEvent>();
                          dispatched.forEach(
                              (scope, decision) ->
                                  requests.add(
                                      new ScopeRequested(
                                          UUID.randomUUID(),
                                          job.id(),
                                          now,
                                          AutodocEvent.SCHEMA_VERSION,
                                          job.repositoryId(),
                                          job.repositoryUrl(),
                                          plan.commitSha(),
                                          scope.path(),
                                          scope.config(),
                                          scope.excludedPaths(),
                                          1,
                                          baseline(decision))));
                          int scopes = plan.scopes().size();
                          JobProgress planFinished =
                              new JobProgress(
                                  UUID.randomUUID(),
                                  job.id(),
                                  now,
                                  AutodocEvent.SCHEMA_VERSION,
                                  null,
                                  "plan",
                                  JobProgress.Phase.FINISHED,
                                  scopes,
                                  scopes,
                                  (job.dryRun() ? "dry run: planned " : "planned ")
                                      + scopes
                                      + " scopes at "
                                      + plan.commitSha()
                                      + ", "
                                      + dispatched.size()
                                      + " to document",
                                  1,
                                  null);
                          Uni<Void> recorded =
                              steps
                                  .record(tx, planFinished)
                                  .chain(
                                      () ->
                                          steps.record(
                                              tx,
                                              job.id(),
                                              JobSteps.FAN_OUT,
                                              JobProgress.Phase.STARTED,
                                              null))
                                  .chain(() -> jobs.setPlan(tx, job.id(), plan))
                                  .chain(
                                      () ->
                                          jobs.insertScopes(
                                              tx, job.id(), List.copyOf(dispatched.keySet())))
                                  .chain(() -> outbox.append(tx, requests))
                                  .chain(
                                      () ->
                                          steps.record(
                                              tx,
                                              job.id(),
                                              JobSteps.FAN_OUT,
                                              JobProgress.Phase.FINISHED,
                                              dispatched.size() + " scopes requested"));
                          if (!dispatched.isEmpty()) {
                            return recorded;
                          }
                          // Nothing to wait for: the job goes straight to its end.
                          return recorded
                              .chain(
                                  () ->
                                      jobs.transition(
                                          tx, job.id(), JobStatus.RUNNING, JobStatus.FINALIZING))
                              .invoke(nothingToRun::set)
                              .replaceWithVoid();
                        }))
        .chain(() -> nothingToRun.get() ? finish(job.id()) : Uni.createFrom().voidItem());
  }

  /** What a dispatched scope builds on: nothing for a full run. */
  private static ScopeRequested.Baseline baseline(ChangePlanner.ScopePlan decision) {
    return ScopeRequested.Baseline.of(
        decision.action().name(),
        decision.baselineJob(),
        decision.baselineCommit(),
        decision.changedFiles());
  }

  private Uni<Void> failPlanning(Job job, Throwable failure) {
    ErrorReport error =
        failure instanceof AutodocException e
            ? e.report()
            : ErrorReport.of(Reason.INTERNAL, "planning failed: " + Failures.describe(failure));
    if (!(failure instanceof AutodocException)) {
      LOG.errorf(failure, "planning job %s failed unexpectedly", job.id());
    }
    return pool.withTransaction(
        tx ->
            // The step ends before the job does: the job's final status ends its stream.
            steps
                .record(tx, job.id(), JobSteps.PLAN, JobProgress.Phase.FAILED, error.message())
                .chain(() -> jobs.transition(tx, job.id(), JobStatus.PLANNING, JobStatus.FAILED))
                .chain(
                    moved ->
                        moved
                            ? end(tx, job, JobStatus.FAILED, error, null)
                            : Uni.createFrom().voidItem()));
  }

  private Uni<Map<String, LiveScope>> liveScopes(UUID jobId) {
    return pool.preparedQuery(
            "select scope_path, status, attempt, worker_id, heartbeat_at from worker.scope_run where job_id = $1")
        .execute(io.vertx.mutiny.sqlclient.Tuple.of(jobId))
        .map(
            rows -> {
              var live = new java.util.HashMap<String, LiveScope>();
              rows.forEach(
                  r ->
                      live.put(
                          r.getString("scope_path"),
                          new LiveScope(
                              r.getString("status"),
                              r.getInteger("attempt"),
                              r.getString("worker_id"),
                              Optional.ofNullable(r.getOffsetDateTime("heartbeat_at"))
                                  .map(t -> t.toInstant())
                                  .orElse(null))));
              return (Map<String, LiveScope>) live;
            })
        // Until a worker has run against this database its table does not exist.
        .onFailure(Failures::isUndefinedTable)
        .recoverWithItem(Map.of());
  }

  private void afterCommit() {
    outbox.wake();
    admitSoon();
  }

  private static JobRequested requested(NewJob job) {
    return new JobRequested(
        UUID.randomUUID(),
        job.id(),
        Instant.now(),
        AutodocEvent.SCHEMA_VERSION,
        job.repository().url(),
        job.branch(),
        job.mode(),
        job.force(),
        job.dryRun(),
        job.callbackUrl());
  }

  private static List<UUID> concat(List<UUID> a, List<UUID> b) {
    var all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  static String display(String scopePath) {
    return scopePath.isEmpty() ? "(root)" : scopePath;
  }

  private static PermanentException notFound(UUID id) {
    return new PermanentException(Reason.NOT_FOUND, "no job " + id);
  }
}
