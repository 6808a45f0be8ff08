package dev.autodoc.reconciler;

import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobMode;
import dev.autodoc.common.event.JobRequested;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Nudges jobs that sat too long QUEUED, PLANNING or FINALIZING. Only the orchestrator moves jobs;
 * the nudge is the job's own JobRequested published again, which the orchestrator answers by
 * admitting what may start and taking up planning or finishing whose owner stopped. Each job is
 * nudged once per state it entered, by one replica (the nudge row is the lock).
 */
@ApplicationScoped
public class StuckJobs {
  private static final Logger LOG = Logger.getLogger(StuckJobs.class);

  private final Pool pool;
  private final Outbox outbox;
  private final ReconcilerConfig config;
  private final MeterRegistry registry;

  StuckJobs(Pool pool, Outbox outbox, ReconcilerConfig config, MeterRegistry registry) {
    this.pool = pool;
    this.outbox = outbox;
    this.config = config;
    this.registry = registry;
    // Registered at zero, so dashboards and alerts see the series before the first failure.
    registry.counter(MetricNames.JOBS_NUDGED);
  }

  @Scheduled(
      every = "${autodoc.reconciler.check-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void check() {
    try {
      nudge();
    } catch (RuntimeException e) {
      if (!Failures.isUndefinedTable(e)) {
        LOG.warnf("checking waiting jobs: %s", Failures.describe(e));
      }
    }
  }

  /** Blocking: nudges every job stuck past the limit that was not nudged in this state yet. */
  public int nudge() {
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "with stuck as (select id, status, case when status = 'QUEUED' then"
                            + " created_at else coalesce(planning_started_at, created_at) end as since"
                            + " from orchestrator.job where status in ('QUEUED', 'PLANNING', 'FINALIZING')),"
                            + " nudged as (insert into reconciler.nudge (job_id, status, since)"
                            + " select id, status, since from stuck"
                            + " where since < now() - make_interval(secs => $1)"
                            + " on conflict do nothing returning job_id, status)"
                            + " select j.id, j.repository_url, j.branch, j.mode, j.force, j.dry_run,"
                            + " j.callback_url, n.status from nudged n join orchestrator.job j on"
                            + " j.id = n.job_id")
                    .execute(Tuple.of(config.stuckAfter().toMillis() / 1000.0))
                    .chain(
                        rows -> {
                          var events = new java.util.ArrayList<AutodocEvent>();
                          for (Row r : rows) {
                            LOG.infof(
                                "nudging job %s, %s for longer than %s",
                                r.getUUID("id"), r.getString("status"), config.stuckAfter());
                            events.add(request(r));
                          }
                          return outbox.append(tx, events).replaceWith(events.size());
                        }))
        .invoke(
            n -> {
              if (n > 0) {
                outbox.wake();
                registry.counter(MetricNames.JOBS_NUDGED).increment(n);
              }
            })
        .await()
        .atMost(Duration.ofSeconds(30));
  }

  private static JobRequested request(Row r) {
    String mode = r.getString("mode");
    return new JobRequested(
        UUID.randomUUID(),
        r.getUUID("id"),
        Instant.now(),
        AutodocEvent.SCHEMA_VERSION,
        r.getString("repository_url"),
        r.getString("branch"),
        mode == null ? null : JobMode.valueOf(mode),
        r.getBoolean("force"),
        r.getBoolean("dry_run"),
        r.getString("callback_url"));
  }
}
