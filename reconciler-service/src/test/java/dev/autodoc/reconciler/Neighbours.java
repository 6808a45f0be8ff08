package dev.autodoc.reconciler;

import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.stack.StackEndpoints;
import dev.autodoc.local.testing.KafkaProbe;
import dev.autodoc.local.testing.NeighbourSchemas;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.UUID;

/**
 * The reconciler reads the orchestrator's and the workers' tables. Its tests create them with those
 * services' own migrations ({@link NeighbourSchemas}) and then play those services by writing rows
 * and publishing events.
 */
final class Neighbours {
  private Neighbours() {}

  static void migrate() {
    StackEndpoints stack = LocalStackResource.endpoints();
    NeighbourSchemas.migrate(stack, "orchestrator", "orchestrator-service");
    NeighbourSchemas.migrate(stack, "worker", "scope-worker-service");
  }

  static KafkaProbe probe() {
    return new KafkaProbe(LocalStackResource.endpoints().kafkaBootstrapServers(), Topics.all());
  }

  static void publish(KafkaProbe kafka, AutodocEvent event) {
    kafka.publish(event);
  }

  /** A job as the orchestrator keeps it, with one scope, in the given state. */
  static UUID job(Pool pool, String status, String scopePath, String planJson) {
    UUID id = UUID.randomUUID();
    pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "insert into orchestrator.job (id, repository_id, repository_url, mode,"
                            + " status, commit_sha, plan, created_at, planning_started_at,"
                            + " started_at) values ($1, 'repo-1', 'file:///srv/repo', 'FULL', $2,"
                            + " '0123456789abcdef0123456789abcdef01234567', cast($3 as text)::jsonb,"
                            + " now() - interval '1 hour', now() - interval '1 hour', now())")
                    .execute(Tuple.of(id, status, planJson))
                    .chain(
                        () ->
                            tx.preparedQuery(
                                    "insert into orchestrator.job_scope (job_id, path, name, config,"
                                        + " excluded, status) values ($1, $2, 'api',"
                                        + " cast($3 as text)::jsonb, '[\"api/generated\"]'::jsonb,"
                                        + " 'PENDING')")
                                .execute(
                                    Tuple.of(
                                        id,
                                        scopePath,
                                        EventCodec.toJson(ScopeConfig.defaults("api"))))))
        .await()
        .indefinitely();
    return id;
  }

  /** The worker's claim of the scope, with a heartbeat {@code secondsAgo} old. */
  static void running(
      Pool pool, UUID jobId, String scopePath, int attempt, String workerId, int secondsAgo) {
    pool.preparedQuery(
            "insert into worker.scope_run (job_id, scope_path, attempt, status, worker_id,"
                + " commit_sha, heartbeat_at, started_at) values ($1, $2, $3, 'RUNNING', $4,"
                + " '0123456789abcdef0123456789abcdef01234567',"
                + " now() - make_interval(secs => $5), now())"
                + " on conflict (job_id, scope_path) do update set attempt = excluded.attempt,"
                + " worker_id = excluded.worker_id, heartbeat_at = excluded.heartbeat_at")
        .execute(Tuple.of(jobId, scopePath, attempt, workerId, (double) secondsAgo))
        .await()
        .indefinitely();
  }
}
