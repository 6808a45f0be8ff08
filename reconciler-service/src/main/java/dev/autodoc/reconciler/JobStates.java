package dev.autodoc.reconciler;

import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.messaging.Failures;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * How many jobs wait and run right now, by state, as a gauge: what the jobs dashboard shows as
 * queue and running counts. Read from the orchestrator's table, so every replica reports the same
 * numbers (dashboards take the maximum over replicas).
 */
@ApplicationScoped
class JobStates {
  private static final Logger LOG = Logger.getLogger(JobStates.class);
  static final List<JobStatus> SHOWN =
      List.of(JobStatus.QUEUED, JobStatus.PLANNING, JobStatus.RUNNING, JobStatus.FINALIZING);

  private final Pool pool;
  private final Map<JobStatus, AtomicLong> counts = new EnumMap<>(JobStatus.class);

  JobStates(Pool pool, MeterRegistry registry) {
    this.pool = pool;
    for (JobStatus status : SHOWN) {
      AtomicLong count = new AtomicLong();
      counts.put(status, count);
      registry.gauge(
          MetricNames.JOBS_IN_STATE,
          List.of(io.micrometer.core.instrument.Tag.of(MetricNames.TAG_STATUS, status.name())),
          count);
    }
  }

  @Scheduled(
      every = "${autodoc.reconciler.check-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void measure() {
    try {
      Map<JobStatus, Long> found = new EnumMap<>(JobStatus.class);
      pool.query(
              "select status, count(*) as n from orchestrator.job where status in"
                  + " ('QUEUED', 'PLANNING', 'RUNNING', 'FINALIZING') group by status")
          .execute()
          .await()
          .atMost(Duration.ofSeconds(30))
          .forEach((Row r) -> found.put(JobStatus.valueOf(r.getString("status")), r.getLong("n")));
      counts.forEach((status, count) -> count.set(found.getOrDefault(status, 0L)));
    } catch (RuntimeException e) {
      if (!Failures.isUndefinedTable(e)) {
        LOG.warnf("counting jobs by state: %s", Failures.describe(e));
      }
    }
  }
}
