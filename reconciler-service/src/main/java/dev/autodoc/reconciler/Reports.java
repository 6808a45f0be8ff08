package dev.autodoc.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.JobCompleted;
import dev.autodoc.common.event.QualityReport;
import dev.autodoc.common.event.QualitySummary;
import dev.autodoc.common.event.ScopeCompleted;
import dev.autodoc.common.event.ScopeFailed;
import dev.autodoc.common.event.ScopeOutcome;
import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.inbox.ProcessedEvents;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Builds each job's quality report and token totals from its scopes' outcomes as they arrive, and
 * settles them from JobCompleted, which lists every scope as the orchestrator finally saw it. A
 * later attempt's report replaces an earlier one's, never the other way round. Finished jobs feed
 * the Prometheus metrics once each.
 */
@ApplicationScoped
public class Reports {
  static final String CONSUMER = "reconciler-reports";

  private final Pool pool;
  private final ProcessedEvents processed;
  private final MeterRegistry registry;

  Reports(Pool pool, ProcessedEvents processed, MeterRegistry registry) {
    this.pool = pool;
    this.processed = processed;
    this.registry = registry;
  }

  public Uni<Void> scopeOutcome(ScopeOutcome outcome) {
    return pool.withTransaction(
        tx ->
            processed
                .firstTime(tx, outcome.eventId(), CONSUMER)
                .chain(
                    first -> {
                      if (!first) {
                        return Uni.createFrom().voidItem();
                      }
                      Uni<Void> upserted =
                          switch (outcome) {
                            case ScopeCompleted c ->
                                upsert(
                                    tx,
                                    c.jobId(),
                                    c.scopePath(),
                                    "SUCCEEDED",
                                    c.attempt(),
                                    c.quality(),
                                    c.tokens());
                            case ScopeFailed f ->
                                upsert(
                                    tx,
                                    f.jobId(),
                                    f.scopePath(),
                                    "FAILED",
                                    f.attempt(),
                                    null,
                                    null);
                          };
                      return upserted
                          .chain(() -> rebuild(tx, outcome.jobId(), null, null))
                          .replaceWithVoid();
                    }));
  }

  public Uni<Void> jobCompleted(JobCompleted job) {
    return pool.withTransaction(
            tx ->
                processed
                    .firstTime(tx, job.eventId(), CONSUMER)
                    .chain(
                        first -> {
                          if (!first) {
                            return Uni.createFrom().item((Report) null);
                          }
                          Uni<Void> scopes = Uni.createFrom().voidItem();
                          for (JobCompleted.ScopeResult s : job.scopes()) {
                            scopes =
                                scopes.chain(
                                    () ->
                                        upsert(
                                            tx,
                                            job.jobId(),
                                            s.path(),
                                            s.status().name(),
                                            s.attempt(),
                                            s.quality(),
                                            s.tokens()));
                          }
                          // The sessions are archived once the job's end is recorded.
                          return scopes
                              .chain(() -> SessionArchiver.due(tx, job.jobId(), job.repositoryId()))
                              .chain(
                                  () ->
                                      rebuild(
                                          tx,
                                          job.jobId(),
                                          job.repositoryId(),
                                          job.status().name()));
                        }))
        .invoke(
            report -> {
              if (report != null) {
                count(report, job.repositoryId());
              }
            })
        .replaceWithVoid();
  }

  private record Report(QualityReport quality, TokenUsage tokens) {}

  /** The job's quality and cost, by repository. */
  private void count(Report report, String repository) {
    var overall = report.quality().overall();
    if (overall.meanScore() != null) {
      DistributionSummary.builder(MetricNames.JOB_QUALITY_SCORE)
          .description("mean page score of each finished job (0..1)")
          .tag(MetricNames.TAG_REPOSITORY, repository)
          .publishPercentiles(0.1, 0.5, 0.9)
          .register(registry)
          .record(overall.meanScore());
    }
    registry
        .counter(MetricNames.PAGES_GENERATED, MetricNames.TAG_REPOSITORY, repository)
        .increment(overall.pages());
    registry
        .counter(MetricNames.PAGES_BELOW_THRESHOLD, MetricNames.TAG_REPOSITORY, repository)
        .increment(overall.belowThreshold());
    dev.autodoc.support.llm.TokenMetrics.count(registry, repository, report.tokens());
  }

  private static Uni<Void> upsert(
      SqlConnection tx,
      UUID jobId,
      String path,
      String status,
      int attempt,
      QualitySummary quality,
      TokenUsage tokens) {
    return tx.preparedQuery(
            "insert into reconciler.scope_report (job_id, scope_path, status, attempt, quality,"
                + " tokens) values ($1, $2, $3, $4, cast($5 as text)::jsonb, cast($6 as text)::jsonb)"
                + " on conflict (job_id, scope_path) do update set status = excluded.status,"
                + " attempt = excluded.attempt,"
                + " quality = coalesce(excluded.quality, reconciler.scope_report.quality),"
                + " tokens = coalesce(excluded.tokens, reconciler.scope_report.tokens),"
                + " updated_at = now() where reconciler.scope_report.attempt <= excluded.attempt")
        .execute(
            Tuple.from(
                Arrays.asList(
                    jobId,
                    path,
                    status,
                    attempt,
                    quality == null ? null : EventCodec.toJson(quality),
                    tokens == null ? null : EventCodec.toJson(tokens))))
        .replaceWithVoid();
  }

  /** Rebuilds the job's report from its scopes' rows. */
  private static Uni<Report> rebuild(
      SqlConnection tx, UUID jobId, String repositoryId, String status) {
    return tx.preparedQuery(
            "select scope_path, attempt, cast(quality as text) as quality,"
                + " cast(tokens as text) as tokens from reconciler.scope_report"
                + " where job_id = $1 order by scope_path")
        .execute(Tuple.of(jobId))
        .map(
            rows -> {
              var scopes = new ArrayList<JobCompleted.ScopeResult>();
              for (Row r : rows) {
                scopes.add(
                    new JobCompleted.ScopeResult(
                        r.getString("scope_path"),
                        null,
                        r.getInteger("attempt"),
                        null,
                        read(r.getString("quality"), QualitySummary.class),
                        read(r.getString("tokens"), TokenUsage.class)));
              }
              List<JobCompleted.ScopeResult> all = List.copyOf(scopes);
              return new Report(JobCompleted.quality(all), JobCompleted.tokens(all));
            })
        .call(
            report ->
                tx.preparedQuery(
                        "insert into reconciler.job_report (job_id, repository_id, status, quality,"
                            + " tokens) values ($1, $2, $3, cast($4 as text)::jsonb,"
                            + " cast($5 as text)::jsonb) on conflict (job_id) do update set"
                            + " repository_id = coalesce(excluded.repository_id,"
                            + " reconciler.job_report.repository_id),"
                            + " status = coalesce(excluded.status, reconciler.job_report.status),"
                            + " quality = excluded.quality, tokens = excluded.tokens,"
                            + " updated_at = now()")
                    .execute(
                        Tuple.from(
                            Arrays.asList(
                                jobId,
                                repositoryId,
                                status,
                                EventCodec.toJson(report.quality()),
                                EventCodec.toJson(report.tokens())))));
  }

  private static <T> T read(String json, Class<T> type) {
    if (json == null) {
      return null;
    }
    try {
      return EventCodec.json().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "reconciler.scope_report holds unreadable " + type.getSimpleName(), e);
    }
  }
}
