package dev.autodoc.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.ScopeFailed;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Finds running scopes whose worker went silent, and scopes no worker has taken, and dispatches
 * them again with the next attempt, or fails them with {@code SCOPE_TIMED_OUT} once their attempts
 * are spent.
 *
 * <p>A scope is silent when neither its heartbeat nor its latest re-dispatch (a request no worker
 * has taken yet) is younger than {@code stale-after}, or at once when Kubernetes says its worker's
 * pod is gone. Each decision is a row keyed by job, scope and attempt, written in the same
 * transaction as its event: of several reconciler replicas exactly one makes it, and it is made
 * once. A worker that receives the new attempt takes the scope over from the silent one, whose
 * further writes no longer count.
 */
@ApplicationScoped
public class StaleScopes {
  private static final Logger LOG = Logger.getLogger(StaleScopes.class);
  static final String RECONCILER = "reconciler";

  private final Pool pool;
  private final Outbox outbox;
  private final ReconcilerConfig config;
  private final WorkerPods pods;
  private final MeterRegistry registry;
  private final java.util.concurrent.atomic.AtomicLong waitingScopes =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong longestWait =
      new java.util.concurrent.atomic.AtomicLong();

  StaleScopes(
      Pool pool, Outbox outbox, ReconcilerConfig config, WorkerPods pods, MeterRegistry registry) {
    this.pool = pool;
    this.outbox = outbox;
    this.config = config;
    this.pods = pods;
    this.registry = registry;
    // Registered at zero, so dashboards and alerts see the series before the first failure.
    for (String action : java.util.List.of("redispatched", "failed")) {
      registry.counter(MetricNames.SCOPES_RECONCILED, MetricNames.TAG_ACTION, action);
    }
    registry.gauge(MetricNames.SCOPES_WAITING, waitingScopes);
    registry.gauge(MetricNames.SCOPE_LONGEST_WAIT, longestWait);
  }

  /** A running scope, as the worker and the reconciler's own decisions describe it. */
  record Running(
      UUID jobId,
      String scopePath,
      String workerId,
      int attempt,
      boolean redispatched,
      boolean silent,
      Instant lastSign) {}

  @Scheduled(
      every = "${autodoc.reconciler.check-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void check() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      if (Failures.isUndefinedTable(e)) {
        return; // No job has run against this database yet.
      }
      LOG.warnf("checking running scopes: %s", Failures.describe(e));
    }
  }

  /** Blocking: one pass over the running scopes; returns the decisions this replica made. */
  public int reconcile() {
    int decided = 0;
    for (Running scope : unclaimed()) {
      if (scope.silent()) {
        String why =
            (scope.redispatched()
                    ? "no worker took attempt " + scope.attempt()
                    : "no worker took the scope")
                + " since "
                + scope.lastSign()
                + " (limit autodoc.reconciler.unclaimed-after = "
                + config.unclaimedAfter()
                + "; are any workers consuming "
                + dev.autodoc.common.messaging.Topics.SCOPE_REQUESTED
                + "?)";
        if (decide(scope, why)) {
          decided++;
        }
      }
    }
    for (Running scope : running()) {
      String why = null;
      if (scope.silent()) {
        why =
            (scope.redispatched()
                    ? "no worker took attempt " + scope.attempt()
                    : "the heartbeat of worker " + scope.workerId() + " stopped")
                + " (last sign of life "
                + scope.lastSign()
                + ", limit autodoc.reconciler.stale-after = "
                + config.staleAfter()
                + ")";
      } else if (!scope.redispatched() && pods.gone(scope.workerId()).orElse(false)) {
        why = "the pod of worker " + scope.workerId() + " no longer exists";
      }
      if (why != null && decide(scope, why)) {
        decided++;
      }
    }
    return decided;
  }

  /**
   * Scopes of running jobs that no worker has claimed in any attempt, waiting since the job was
   * dispatched or since their latest re-dispatch. The gauges say how many wait, and the longest
   * wait.
   */
  private List<Running> unclaimed() {
    return pool.preparedQuery(
            "select s.job_id, s.path as scope_path, coalesce(d.attempt, 1) as attempt,"
                + " d.attempt is not null as redispatched,"
                + " coalesce(d.decided_at, j.started_at, j.updated_at) as waiting_since"
                + " from orchestrator.job_scope s"
                + " join orchestrator.job j on j.id = s.job_id and j.status = 'RUNNING'"
                + " left join lateral (select attempt, action, decided_at from reconciler.redispatch x"
                + " where x.job_id = s.job_id and x.scope_path = s.path"
                + " order by attempt desc limit 1) d on true"
                + " where s.status = 'PENDING' and coalesce(d.action, '') <> 'FAILED'"
                + " and not exists (select 1 from worker.scope_run r"
                + " where r.job_id = s.job_id and r.scope_path = s.path)")
        .execute()
        .map(
            rows -> {
              var waiting = new ArrayList<Running>();
              Instant now = Instant.now();
              Instant limit = now.minus(config.unclaimedAfter());
              long longest = 0;
              for (Row r : rows) {
                Instant since = r.getOffsetDateTime("waiting_since").toInstant();
                longest = Math.max(longest, Duration.between(since, now).toSeconds());
                waiting.add(
                    new Running(
                        r.getUUID("job_id"),
                        r.getString("scope_path"),
                        null,
                        r.getInteger("attempt"),
                        r.getBoolean("redispatched"),
                        since.isBefore(limit),
                        since));
              }
              waitingScopes.set(waiting.size());
              longestWait.set(longest);
              return List.copyOf(waiting);
            })
        .await()
        .atMost(Duration.ofSeconds(30));
  }

  private List<Running> running() {
    return pool.preparedQuery(
            "select r.job_id, r.scope_path, r.worker_id,"
                + " greatest(r.attempt, coalesce(d.attempt, 0)) as attempt,"
                + " coalesce(d.attempt, 0) > r.attempt as redispatched,"
                + " greatest(r.heartbeat_at, case when d.attempt > r.attempt then d.decided_at end)"
                + " as last_sign"
                + " from worker.scope_run r"
                + " join orchestrator.job j on j.id = r.job_id and j.status = 'RUNNING'"
                + " join orchestrator.job_scope s on s.job_id = r.job_id and s.path = r.scope_path"
                + " and s.status not in ('SUCCEEDED', 'FAILED')"
                + " left join lateral (select attempt, action, decided_at from reconciler.redispatch x"
                + " where x.job_id = r.job_id and x.scope_path = r.scope_path"
                + " order by attempt desc limit 1) d on true"
                + " where r.status = 'RUNNING' and coalesce(d.action, '') <> 'FAILED'")
        .execute()
        .map(
            rows -> {
              var running = new ArrayList<Running>();
              Instant limit = Instant.now().minus(config.staleAfter());
              for (Row r : rows) {
                Instant lastSign = r.getOffsetDateTime("last_sign").toInstant();
                running.add(
                    new Running(
                        r.getUUID("job_id"),
                        r.getString("scope_path"),
                        r.getString("worker_id"),
                        r.getInteger("attempt"),
                        r.getBoolean("redispatched"),
                        lastSign.isBefore(limit),
                        lastSign));
              }
              return List.copyOf(running);
            })
        .await()
        .atMost(Duration.ofSeconds(30));
  }

  /** Dispatches the next attempt or fails the scope; false when another replica decided first. */
  private boolean decide(Running scope, String why) {
    int next = scope.attempt() + 1;
    boolean exhausted = next > config.maxScopeAttempts();
    String reason =
        exhausted
            ? "scope '"
                + display(scope.scopePath())
                + "' timed out: "
                + why
                + "; all "
                + config.maxScopeAttempts()
                + " attempts are spent (autodoc.reconciler.max-scope-attempts)"
            : why;
    boolean made =
        pool.withTransaction(
                tx ->
                    tx.preparedQuery(
                            "insert into reconciler.redispatch (job_id, scope_path, attempt, action,"
                                + " reason) values ($1, $2, $3, $4, $5) on conflict do nothing")
                        .execute(
                            Tuple.of(
                                scope.jobId(),
                                scope.scopePath(),
                                exhausted ? scope.attempt() + 1 : next,
                                exhausted ? "FAILED" : "DISPATCHED",
                                reason))
                        .chain(
                            rows -> {
                              if (rows.rowCount() == 0) {
                                return Uni.createFrom().item(false);
                              }
                              Uni<AutodocEvent> event =
                                  exhausted
                                      ? Uni.createFrom().item(timedOut(scope, reason))
                                      : request(tx, scope, next);
                              return event.chain(e -> outbox.append(tx, e)).replaceWith(true);
                            }))
            .await()
            .atMost(Duration.ofSeconds(30));
    if (made) {
      outbox.wake();
      registry
          .counter(
              MetricNames.SCOPES_RECONCILED,
              MetricNames.TAG_ACTION,
              exhausted ? "failed" : "redispatched")
          .increment();
      LOG.infof(
          "%s scope %s:%s: %s",
          exhausted ? "failing" : "dispatching attempt " + next + " of",
          scope.jobId(),
          display(scope.scopePath()),
          reason);
    }
    return made;
  }

  private static ScopeFailed timedOut(Running scope, String reason) {
    return new ScopeFailed(
        UUID.randomUUID(),
        scope.jobId(),
        Instant.now(),
        AutodocEvent.SCHEMA_VERSION,
        scope.scopePath(),
        scope.attempt(),
        RECONCILER,
        ErrorReport.of(Reason.SCOPE_TIMED_OUT, reason),
        0);
  }

  /** The scope's request as the orchestrator made it, with the next attempt. */
  private static Uni<AutodocEvent> request(SqlConnection tx, Running scope, int attempt) {
    return tx.preparedQuery(
            "select j.repository_id, j.repository_url, j.commit_sha,"
                + " cast(s.config as text) as config, cast(s.excluded as text) as excluded,"
                + " cast(j.plan as text) as plan"
                + " from orchestrator.job j join orchestrator.job_scope s on s.job_id = j.id"
                + " where j.id = $1 and s.path = $2")
        .execute(Tuple.of(scope.jobId(), scope.scopePath()))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              try {
                var json = EventCodec.json();
                return (AutodocEvent)
                    new ScopeRequested(
                        UUID.randomUUID(),
                        scope.jobId(),
                        Instant.now(),
                        AutodocEvent.SCHEMA_VERSION,
                        r.getString("repository_id"),
                        r.getString("repository_url"),
                        r.getString("commit_sha"),
                        scope.scopePath(),
                        json.readValue(r.getString("config"), ScopeConfig.class),
                        List.of(json.readValue(r.getString("excluded"), String[].class)),
                        attempt,
                        baseline(r.getString("plan"), scope.scopePath()));
              } catch (JsonProcessingException e) {
                throw new IllegalStateException(
                    "the orchestrator's record of scope " + scope.scopePath() + " is unreadable",
                    e);
              }
            });
  }

  /** What the scope builds on, from the job's plan: the same baseline the first attempt had. */
  static ScopeRequested.Baseline baseline(String planJson, String scopePath)
      throws JsonProcessingException {
    if (planJson == null) {
      return null;
    }
    for (JsonNode decision : EventCodec.json().readTree(planJson).path("scopes")) {
      if (decision.path("scope").asText().equals(scopePath)) {
        var changed = new ArrayList<String>();
        decision.path("changedFiles").forEach(f -> changed.add(f.asText()));
        return ScopeRequested.Baseline.of(
            decision.path("action").asText(),
            decision.hasNonNull("baselineJob")
                ? UUID.fromString(decision.path("baselineJob").asText())
                : null,
            decision.path("baselineCommit").asText(null),
            changed);
      }
    }
    return null;
  }

  static String display(String scopePath) {
    return scopePath.isEmpty() ? "(root)" : scopePath;
  }
}
