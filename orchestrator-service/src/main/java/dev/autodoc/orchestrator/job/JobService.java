package dev.autodoc.orchestrator.job;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobRequested;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.ScopeCompleted;
import dev.autodoc.common.event.ScopeFailed;
import dev.autodoc.common.event.ScopeOutcome;
import dev.autodoc.common.event.ScopeStatus;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.inbox.ProcessedEvents;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The life of a job: intake, fan-in and the end; admission lives in {@link JobAdmission}, planning
 * and fan-out in {@link JobPlanning}, the end in {@link JobFinalizer}. Each step is one transaction
 * that changes the job and appends the events it implies to the outbox, so a crash between the two
 * cannot happen; every consumer step records its event in the same transaction, so a redelivered
 * event has no second effect.
 */
@ApplicationScoped
public class JobService {
  private static final Logger LOG = Logger.getLogger(JobService.class);
  static final String CONSUMER = "orchestrator";

  private final JobRepository jobs;
  private final Pool pool;
  private final Outbox outbox;
  private final ProcessedEvents processed;
  private final MeterRegistry registry;
  private final JobFinalizer finalizer;
  private final JobAdmission admission;
  private final JobEvents events;

  JobService(
      JobRepository jobs,
      Outbox outbox,
      ProcessedEvents processed,
      MeterRegistry registry,
      JobFinalizer finalizer,
      JobAdmission admission,
      JobEvents events) {
    this.finalizer = finalizer;
    this.admission = admission;
    this.events = events;
    this.jobs = jobs;
    this.pool = jobs.pool();
    this.outbox = outbox;
    this.processed = processed;
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
                registry
                    .counter(
                        MetricNames.JOBS_SUBMITTED,
                        MetricNames.TAG_REPOSITORY,
                        s.job().repositoryId())
                    .increment();
                admission.afterCommit();
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
                registry
                    .counter(
                        MetricNames.JOBS_SUBMITTED,
                        MetricNames.TAG_REPOSITORY,
                        request.repository().id())
                    .increment();
              }
              admission.admitSoon();
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
                      events.timeline(pool, id).map(StepTimeline::of),
                      dev.autodoc.orchestrator.repository.SearchIndex.ofJob(pool, id))
                  .with(
                      (scopes, live, quality, callback, timeline, index) ->
                          new JobDetails(found, scopes, live, quality, callback, timeline, index));
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
                              .chain(
                                  () -> finalizer.end(tx, found, JobStatus.CANCELLED, null, null));
                        }))
        .invoke(admission::afterCommit)
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
                admission
                    .finish(jobId)
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

  static String display(String scopePath) {
    return scopePath.isEmpty() ? "(root)" : scopePath;
  }

  public static PermanentException notFound(UUID id) {
    return new PermanentException(Reason.NOT_FOUND, "no job " + id);
  }
}
