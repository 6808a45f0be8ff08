package dev.autodoc.worker.persistence;

import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.ScanInventory;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.worker.docs.embeddings.Chunk;
import dev.autodoc.worker.docs.structure.DocStructure;
import dev.autodoc.worker.docs.structure.StructureSchema;
import dev.autodoc.worker.pipeline.ScopeContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Queries of scope_run and scope_file. Claim rules belong to {@code
 * dev.autodoc.worker.ScopeClaims}.
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

  /**
   * Makes the claim of a run this worker holds stale at once, so that the next worker the scope is
   * delivered to takes it over without waiting out the lease; false when it no longer holds it.
   */
  public Uni<Boolean> release(UUID jobId, String scopePath, int attempt, String workerId) {
    return setHeartbeat("'epoch'", jobId, scopePath, attempt, workerId);
  }

  /** Writes the heartbeat of a run this worker holds; false when it no longer holds it. */
  public Uni<Boolean> heartbeat(UUID jobId, String scopePath, int attempt, String workerId) {
    return setHeartbeat("now()", jobId, scopePath, attempt, workerId);
  }

  private Uni<Boolean> setHeartbeat(
      String value, UUID jobId, String scopePath, int attempt, String workerId) {
    return pool.preparedQuery(
            "update worker.scope_run set heartbeat_at = "
                + value
                + " where job_id = $1 and scope_path = $2 and attempt = $3 and worker_id = $4"
                + " and status = 'RUNNING'")
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
   * README at {@code output.readme}, both relative to the scope. A page an incremental run kept
   * keeps the commit and time it was written at.
   */
  public Uni<Void> storePages(
      SqlConnection tx, dev.autodoc.common.event.ScopeRequested request, ScopeContext context) {
    var output = request.config().output();
    String dir = output.pagesPrefix();
    List<Tuple> rows = new java.util.ArrayList<>();
    java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
    for (var page : context.pages()) {
      var kept = context.kept(dir + page.path());
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
                kept.map(PreviousRun.StoredPage::commitSha).orElse(request.commitSha()),
                page.tokens().prompt(),
                page.tokens().completion(),
                kept.map(k -> k.generatedAt().atOffset(java.time.ZoneOffset.UTC)).orElse(now)
              }));
    }
    if (context.readme() != null) {
      // The README is distilled again on every run; unchanged, it keeps its commit and time.
      var kept =
          context
              .previous()
              .flatMap(previous -> previous.page(output.readme()))
              .filter(k -> k.markdown().equals(context.readme()));
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
                kept.map(PreviousRun.StoredPage::commitSha).orElse(request.commitSha()),
                0L,
                0L,
                kept.map(k -> k.generatedAt().atOffset(java.time.ZoneOffset.UTC)).orElse(now)
              }));
    }
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return tx.preparedQuery(
            "insert into worker.page (job_id, scope_path, path, kind, title, markdown, score, attempts, findings, sources, commit_sha,"
                + " prompt_tokens, completion_tokens, generated_at)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8, cast($9 as text)::jsonb, cast($10 as text)::jsonb, $11, $12, $13, $14)"
                + " on conflict (job_id, scope_path, path) do update set markdown = excluded.markdown, score = excluded.score,"
                + " attempts = excluded.attempts, findings = excluded.findings, sources = excluded.sources,"
                + " commit_sha = excluded.commit_sha, prompt_tokens = excluded.prompt_tokens,"
                + " completion_tokens = excluded.completion_tokens, generated_at = excluded.generated_at")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  /**
   * Stores the chunks of the run's pages, at the pages' paths; each names its vector by its text's
   * digest ({@link VectorStore}).
   */
  public Uni<Void> storeChunks(
      SqlConnection tx,
      dev.autodoc.common.event.ScopeRequested request,
      ScopeContext context,
      dev.autodoc.support.embedding.Embedder embedder) {
    var output = request.config().output();
    String dir = output.pagesPrefix();
    List<dev.autodoc.worker.docs.embeddings.Chunk> chunks = context.chunks();
    if (chunks.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    int n = chunks.size();
    String[] pages = new String[n];
    Integer[] ordinals = new Integer[n];
    String[] headings = new String[n];
    String[] texts = new String[n];
    Integer[] tokens = new Integer[n];
    io.vertx.core.buffer.Buffer[] digests = new io.vertx.core.buffer.Buffer[n];
    String[] commits = new String[n];
    for (int i = 0; i < n; i++) {
      var c = chunks.get(i);
      pages[i] = dir + c.pagePath();
      ordinals[i] = c.ordinal();
      headings[i] = c.heading();
      texts[i] = c.text();
      tokens[i] = c.tokens();
      digests[i] = io.vertx.core.buffer.Buffer.buffer(c.digest());
      commits[i] =
          context.kept(pages[i]).map(PreviousRun.StoredPage::commitSha).orElse(request.commitSha());
    }
    // One statement over arrays, not a statement per chunk: a library's first run stores some
    // eight hundred, inside the wait between the scope's last step and its pull request.
    return tx.preparedQuery(
            "insert into worker.chunk (job_id, scope_path, page_path, ordinal, heading, text, tokens, model, model_version, digest, commit_sha)"
                + " select $1, $2, t.page_path, t.ordinal, t.heading, t.text, t.tokens, $3, $4, t.digest, t.commit_sha"
                + " from unnest($5::text[], $6::int[], $7::text[], $8::text[], $9::int[], $10::bytea[], $11::text[])"
                + " as t(page_path, ordinal, heading, text, tokens, digest, commit_sha) on conflict do nothing")
        .execute(
            Tuple.from(
                new Object[] {
                  request.jobId(),
                  request.scopePath(),
                  embedder.model(),
                  embedder.version(),
                  pages,
                  ordinals,
                  headings,
                  texts,
                  tokens,
                  digests,
                  commits
                }))
        .replaceWithVoid();
  }

  /**
   * The structure, pages and chunks of a scope's successful run in job {@code jobId}; empty when
   * that run or its structure is not (or no longer) stored. {@code pagesPrefix} is stripped from
   * the chunks' page paths, as the pages' own paths are planned without it.
   */
  public Uni<Optional<PreviousRun>> previous(UUID jobId, String scopePath, String pagesPrefix) {
    Tuple key = Tuple.of(jobId, scopePath);
    String dir = pagesPrefix;
    return pool.preparedQuery(
            "select structure::text as structure from worker.scope_run where job_id = $1"
                + " and scope_path = $2 and status = 'SUCCEEDED' and structure is not null")
        .execute(key)
        .chain(
            runs -> {
              if (runs.rowCount() == 0) {
                return Uni.createFrom().item(Optional.<PreviousRun>empty());
              }
              DocStructure structure =
                  StructureSchema.parse(runs.iterator().next().getString("structure"));
              return pool.preparedQuery(
                      "select path, kind, title, markdown, score, attempts, findings::text as findings,"
                          + " sources::text as sources, commit_sha, prompt_tokens, completion_tokens,"
                          + " generated_at from worker.page where job_id = $1 and scope_path = $2")
                  .execute(key)
                  .chain(
                      pageRows ->
                          pool.preparedQuery(
                                  "select page_path, ordinal, heading, text, tokens, model, model_version"
                                      + " from worker.chunk where job_id = $1 and scope_path = $2"
                                      + " order by page_path, ordinal")
                              .execute(key)
                              .map(
                                  chunkRows ->
                                      Optional.of(
                                          new PreviousRun(
                                              structure,
                                              storedPages(pageRows),
                                              storedChunks(chunkRows, dir)))));
            });
  }

  private static Map<String, PreviousRun.StoredPage> storedPages(RowSet<Row> rows) {
    Map<String, PreviousRun.StoredPage> pages = new java.util.HashMap<>();
    rows.forEach(
        r ->
            pages.put(
                r.getString("path"),
                new PreviousRun.StoredPage(
                    r.getString("path"),
                    r.getString("kind"),
                    r.getString("title"),
                    r.getString("markdown"),
                    r.getDouble("score") == null ? 0 : r.getDouble("score"),
                    r.getInteger("attempts"),
                    strings(r.getString("findings")),
                    strings(r.getString("sources")),
                    r.getString("commit_sha"),
                    new dev.autodoc.common.event.TokenUsage(
                        r.getLong("prompt_tokens"), r.getLong("completion_tokens")),
                    r.getOffsetDateTime("generated_at").toInstant())));
    return pages;
  }

  private static Map<String, List<PreviousRun.StoredChunk>> storedChunks(
      RowSet<Row> rows, String dir) {
    Map<String, List<PreviousRun.StoredChunk>> chunks = new java.util.HashMap<>();
    rows.forEach(
        r -> {
          String stored = r.getString("page_path");
          String planPath = stored.startsWith(dir) ? stored.substring(dir.length()) : stored;
          chunks
              .computeIfAbsent(stored, p -> new ArrayList<>())
              .add(
                  new PreviousRun.StoredChunk(
                      new Chunk(
                          planPath,
                          r.getInteger("ordinal"),
                          r.getString("heading"),
                          r.getString("text"),
                          r.getInteger("tokens")),
                      r.getString("model"),
                      r.getString("model_version")));
        });
    return chunks;
  }

  private static List<String> strings(String json) {
    try {
      return List.of(EventCodec.json().readValue(json, String[].class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a stored page has a malformed JSON list: " + json, e);
    }
  }

  /** Whether the orchestrator has ended the job (for example cancelled it). */
  public Uni<Boolean> jobEnded(UUID jobId) {
    return pool.preparedQuery("select status from orchestrator.job where id = $1")
        .execute(Tuple.of(jobId))
        .map(
            rows ->
                rows.rowCount() > 0
                    && JobStatus.valueOf(rows.iterator().next().getString("status")).isFinal())
        // A worker may run against a database where the orchestrator has not created its tables.
        .onFailure(Failures::isUndefinedTable)
        .recoverWithItem(false);
  }

  /**
   * Which of these jobs the orchestrator has and has not ended; fails while its tables do not
   * exist, since then nothing can be said.
   */
  public Uni<Set<UUID>> unfinishedJobs(Collection<UUID> jobIds) {
    return pool.preparedQuery(
            "select id from orchestrator.job where id = any($1) and status <> all($2)")
        .execute(Tuple.of(jobIds.toArray(UUID[]::new), JobStatus.finalNames()))
        .map(
            rows -> {
              Set<UUID> unfinished = new java.util.HashSet<>();
              for (Row r : rows) {
                unfinished.add(r.getUUID("id"));
              }
              return unfinished;
            });
  }
}
