package dev.autodoc.worker.persistence;

import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.ScanInventory;
import dev.autodoc.worker.docs.structure.DocStructure;
import dev.autodoc.worker.docs.structure.StructureSchema;
import dev.autodoc.worker.pipeline.ScopeContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Queries of scope_run and scope_file. Claim rules belong to {@link
 * dev.autodoc.worker.ScopeRunner}.
 */
@ApplicationScoped
public class ScopeRunRepository {
  private final Pool pool;

  ScopeRunRepository(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** A scope's run as found, locked for the caller's transaction. */
  public record Run(
      int attempt, String status, String workerId, boolean stale, Instant leaseEnds) {}

  public Uni<Optional<Run>> lock(SqlConnection tx, UUID jobId, String scopePath, Duration lease) {
    return tx.preparedQuery(
            "select attempt, status, worker_id, heartbeat_at < now() - make_interval(secs => $3) as stale,"
                + " heartbeat_at + make_interval(secs => $3) as lease_ends from worker.scope_run where job_id = $1 and scope_path = $2 for update")
        .execute(Tuple.of(jobId, scopePath, lease.toMillis() / 1000.0))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new Run(
                      r.getInteger("attempt"),
                      r.getString("status"),
                      r.getString("worker_id"),
                      r.getBoolean("stale"),
                      r.getOffsetDateTime("lease_ends").toInstant()));
            });
  }

  /** Inserts a new run; false when another worker inserted one first. */
  public Uni<Boolean> insert(
      SqlConnection tx,
      UUID jobId,
      String scopePath,
      int attempt,
      String workerId,
      String commitSha) {
    return tx.preparedQuery(
            "insert into worker.scope_run (job_id, scope_path, attempt, status, worker_id, commit_sha, heartbeat_at, started_at)"
                + " values ($1, $2, $3, 'RUNNING', $4, $5, now(), now()) on conflict do nothing")
        .execute(Tuple.of(jobId, scopePath, attempt, workerId, commitSha))
        .map(rows -> rows.rowCount() == 1);
  }

  public Uni<Void> takeOver(
      SqlConnection tx, UUID jobId, String scopePath, int attempt, String workerId) {
    return tx.preparedQuery(
            "update worker.scope_run set attempt = $3, worker_id = $4, status = 'RUNNING', heartbeat_at = now(),"
                + " started_at = now(), finished_at = null, error = null where job_id = $1 and scope_path = $2")
        .execute(Tuple.of(jobId, scopePath, attempt, workerId))
        .replaceWithVoid();
  }

  /** Writes the heartbeat of a run this worker holds; false when it no longer holds it. */
  public Uni<Boolean> heartbeat(UUID jobId, String scopePath, int attempt, String workerId) {
    return pool.preparedQuery(
            "update worker.scope_run set heartbeat_at = now() where job_id = $1 and scope_path = $2"
                + " and attempt = $3 and worker_id = $4 and status = 'RUNNING'")
        .execute(Tuple.of(jobId, scopePath, attempt, workerId))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Ends a run this worker holds; false when it does not hold it any more, in which case nothing
   * changed: a newer attempt owns the scope and a stale one cannot overwrite it. A successful run
   * keeps the structure it documented, for the incremental runs after it.
   */
  public Uni<Boolean> finish(
      SqlConnection tx,
      UUID jobId,
      String scopePath,
      int attempt,
      String workerId,
      String status,
      ScanInventory inventory,
      ErrorReport error,
      long durationMillis,
      DocStructure structure) {
    return tx.preparedQuery(
            "update worker.scope_run set status = $5, finished_at = now(), duration_ms = $6,"
                + " inventory = cast($7 as text)::jsonb, error = cast($8 as text)::jsonb,"
                + " structure = cast($9 as text)::jsonb"
                + " where job_id = $1 and scope_path = $2 and attempt = $3 and worker_id = $4 and status = 'RUNNING'")
        .execute(
            Tuple.from(
                new Object[] {
                  jobId,
                  scopePath,
                  attempt,
                  workerId,
                  status,
                  durationMillis,
                  EventCodec.toJson(inventory),
                  EventCodec.toJson(error),
                  structure == null ? null : StructureSchema.toJson(structure).toString()
                }))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Marks a run failed without this worker holding it: for a scope out of attempts. */
  public Uni<Void> fail(SqlConnection tx, UUID jobId, String scopePath, ErrorReport error) {
    return tx.preparedQuery(
            "update worker.scope_run set status = 'FAILED', finished_at = now(), error = cast($3 as text)::jsonb"
                + " where job_id = $1 and scope_path = $2")
        .execute(Tuple.of(jobId, scopePath, EventCodec.toJson(error)))
        .replaceWithVoid();
  }

  public Uni<Void> storeFiles(
      SqlConnection tx, UUID jobId, String scopePath, List<ScopeContext.ScannedFile> files) {
    if (files.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> rows =
        files.stream()
            .map(f -> Tuple.of(jobId, scopePath, f.scopePath(), f.language(), f.bytes()))
            .toList();
    return tx.preparedQuery(
            "insert into worker.scope_file (job_id, scope_path, path, language, bytes) values ($1, $2, $3, $4, $5)"
                + " on conflict (job_id, scope_path, path) do update set language = excluded.language, bytes = excluded.bytes")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  /**
   * Stores the run's pages and README. Pages go under the scope's {@code output.pages_dir}, the
   * README at {@code output.readme}, both relative to the scope.
   */
  public Uni<Void> storePages(
      SqlConnection tx, dev.autodoc.common.event.ScopeRequested request, ScopeContext context) {
    var output = request.config().output();
    String dir = output.pagesDir().isEmpty() ? "" : output.pagesDir() + "/";
    List<Tuple> rows = new java.util.ArrayList<>();
    for (var page : context.pages()) {
      rows.add(
          Tuple.from(
              new Object[] {
                request.jobId(),
                request.scopePath(),
                dir + page.path(),
                "PAGE",
                page.title(),
                page.markdown(),
                page.score(),
                page.attempts(),
                EventCodec.toJson(page.findings()),
                EventCodec.toJson(page.sourceFiles()),
                request.commitSha(),
                page.tokens().prompt(),
                page.tokens().completion()
              }));
    }
    if (context.readme() != null) {
      rows.add(
          Tuple.from(
              new Object[] {
                request.jobId(),
                request.scopePath(),
                output.readme(),
                "README",
                request.config().name(),
                context.readme(),
                null,
                1,
                "[]",
                "[]",
                request.commitSha(),
                0L,
                0L
              }));
    }
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return tx.preparedQuery(
            "insert into worker.page (job_id, scope_path, path, kind, title, markdown, score, attempts, findings, sources, commit_sha,"
                + " prompt_tokens, completion_tokens)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8, cast($9 as text)::jsonb, cast($10 as text)::jsonb, $11, $12, $13)"
                + " on conflict (job_id, scope_path, path) do update set markdown = excluded.markdown, score = excluded.score,"
                + " attempts = excluded.attempts, findings = excluded.findings, sources = excluded.sources,"
                + " prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  /** Stores the embedded chunks of the run's pages, at the pages' paths. */
  public Uni<Void> storeChunks(
      SqlConnection tx,
      dev.autodoc.common.event.ScopeRequested request,
      ScopeContext context,
      String model) {
    var output = request.config().output();
    String dir = output.pagesDir().isEmpty() ? "" : output.pagesDir() + "/";
    List<Tuple> rows = new java.util.ArrayList<>();
    for (var embedded : context.chunks()) {
      var c = embedded.chunk();
      Float[] vector = new Float[embedded.vector().length];
      for (int i = 0; i < vector.length; i++) {
        vector[i] = embedded.vector()[i];
      }
      rows.add(
          Tuple.from(
              new Object[] {
                request.jobId(),
                request.scopePath(),
                dir + c.pagePath(),
                c.ordinal(),
                c.heading(),
                c.text(),
                c.tokens(),
                model,
                vector,
                request.commitSha()
              }));
    }
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return tx.preparedQuery(
            "insert into worker.chunk (job_id, scope_path, page_path, ordinal, heading, text, tokens, model, embedding, commit_sha)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict do nothing")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  /** Whether the orchestrator has ended the job (for example cancelled it). */
  public Uni<Boolean> jobEnded(UUID jobId) {
    return pool.preparedQuery("select status from orchestrator.job where id = $1")
        .execute(Tuple.of(jobId))
        .map(
            rows ->
                rows.rowCount() > 0
                    && List.of("COMPLETED", "FAILED", "CANCELLED")
                        .contains(rows.iterator().next().getString("status")))
        // A worker may run against a database where the orchestrator has not created its tables.
        .onFailure(
            f -> f instanceof io.vertx.pgclient.PgException pg && "42P01".equals(pg.getSqlState()))
        .recoverWithItem(false);
  }
}
