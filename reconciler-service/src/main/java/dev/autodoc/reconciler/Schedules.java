package dev.autodoc.reconciler;

import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobMode;
import dev.autodoc.common.event.JobRequested;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.outbox.Outbox;
import dev.autodoc.support.schedule.CronSchedule;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Fires repository schedules (set through the orchestrator's API, kept in {@code
 * orchestrator.repository_schedule}). When a schedule's latest due time is not older than the
 * schedule itself and has not fired yet, it fires: a row keyed by repository and due time, written
 * with its JobRequested in one transaction, so of several replicas exactly one publishes it.
 *
 * <p>The request is an incremental job of the schedule's branch, with an id derived from repository
 * and due time (a second publication could only repeat the same job). A due time at which a job of
 * the repository is still waiting is recorded as skipped: the waiting job will document the latest
 * commit anyway. After a stop, only the latest missed due time fires, once.
 */
@ApplicationScoped
public class Schedules {
  private static final Logger LOG = Logger.getLogger(Schedules.class);

  private final Pool pool;
  private final Outbox outbox;
  private final MeterRegistry registry;

  Schedules(Pool pool, Outbox outbox, MeterRegistry registry) {
    this.pool = pool;
    this.outbox = outbox;
    this.registry = registry;
  }

  @Scheduled(
      every = "${autodoc.reconciler.check-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void check() {
    try {
      fire(Instant.now());
    } catch (RuntimeException e) {
      if (!Failures.isUndefinedTable(e)) {
        LOG.warnf("firing schedules: %s", Failures.describe(e));
      }
    }
  }

  /** A schedule whose due time came. */
  private record Due(String repositoryId, String url, String branch, Instant at) {}

  /** Blocking: fires every schedule due at {@code now}; returns the jobs requested. */
  public int fire(Instant now) {
    Map<String, Due> due = new LinkedHashMap<>();
    for (Row r :
        pool.query(
                "select repository_id, repository_url, branch, cron, time_zone, updated_at"
                    + " from orchestrator.repository_schedule")
            .execute()
            .await()
            .atMost(Duration.ofSeconds(30))) {
      String repository = r.getString("repository_id");
      CronSchedule schedule;
      try {
        schedule = CronSchedule.parse(r.getString("cron"), r.getString("time_zone"));
      } catch (CronSchedule.Invalid e) {
        LOG.warnf("the schedule of %s cannot be read: %s", repository, e.getMessage());
        continue;
      }
      Instant since = r.getOffsetDateTime("updated_at").toInstant();
      schedule
          .lastDue(now)
          .filter(at -> !at.isBefore(since))
          .ifPresent(
              at ->
                  due.put(
                      repository,
                      new Due(
                          repository, r.getString("repository_url"), r.getString("branch"), at)));
    }
    if (due.isEmpty()) {
      return 0;
    }
    return pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "insert into reconciler.schedule_run (repository_id, due_at, job_id)"
                            + " select t.repository_id, t.due_at, case when exists (select 1"
                            + " from orchestrator.job j where j.repository_id = t.repository_id"
                            + " and j.status = 'QUEUED') then null else t.job_id end"
                            + " from unnest($1::text[], $2::timestamptz[], $3::uuid[])"
                            + " as t(repository_id, due_at, job_id)"
                            + " on conflict do nothing returning repository_id, job_id")
                    .execute(
                        Tuple.of(
                            due.keySet().toArray(String[]::new),
                            due.values().stream()
                                .map(d -> OffsetDateTime.ofInstant(d.at(), ZoneOffset.UTC))
                                .toArray(OffsetDateTime[]::new),
                            due.values().stream().map(Schedules::jobId).toArray(UUID[]::new)))
                    .chain(
                        rows -> {
                          List<AutodocEvent> requests = new ArrayList<>();
                          for (Row r : rows) {
                            Due d = due.get(r.getString("repository_id"));
                            if (r.getUUID("job_id") == null) {
                              LOG.infof(
                                  "schedule of %s due at %s: skipped, a job of it is waiting",
                                  d.repositoryId(), d.at());
                              registry
                                  .counter(
                                      MetricNames.SCHEDULES_FIRED,
                                      MetricNames.TAG_OUTCOME,
                                      "skipped")
                                  .increment();
                            } else {
                              LOG.infof(
                                  "schedule of %s due at %s: job %s requested",
                                  d.repositoryId(), d.at(), r.getUUID("job_id"));
                              requests.add(request(d, r.getUUID("job_id")));
                            }
                          }
                          return outbox.append(tx, requests).replaceWith(requests.size());
                        }))
        .invoke(
            n -> {
              if (n > 0) {
                outbox.wake();
                registry
                    .counter(MetricNames.SCHEDULES_FIRED, MetricNames.TAG_OUTCOME, "requested")
                    .increment(n);
              }
            })
        .await()
        .atMost(Duration.ofSeconds(30));
  }

  /** The job of one due time: the same whichever replica fires it. */
  static UUID jobId(Due due) {
    return UUID.nameUUIDFromBytes(
        ("schedule " + due.repositoryId() + " " + due.at()).getBytes(StandardCharsets.UTF_8));
  }

  private static JobRequested request(Due due, UUID jobId) {
    return new JobRequested(
        UUID.randomUUID(),
        jobId,
        Instant.now(),
        AutodocEvent.SCHEMA_VERSION,
        due.url(),
        due.branch(),
        JobMode.INCREMENTAL,
        false,
        false,
        null);
  }
}
