package dev.autodoc.orchestrator.repository;

import dev.autodoc.common.event.EventCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Repositories as the jobs name them, and their documentation: for each scope the repository still
 * has, the pages of its latest successful run (an incremental run carries the pages it kept into
 * its own, so that run holds the scope's whole documentation). Pages are written by the scope
 * workers; this only reads them.
 */
@ApplicationScoped
public class RepositoryPages {
  /** The latest successful run of each scope the repository still has. */
  private static final String LATEST = dev.autodoc.orchestrator.plan.PreviousRuns.LATEST;

  /** What a chunk holding the query word for word adds to its similarity (at most 1). */
  static final double EXACT_MATCH = 1.0;

  private final Pool pool;

  RepositoryPages(Pool pool) {
    this.pool = pool;
  }

  /**
   * A repository: its id and URL, how many jobs it had, its latest job, and the branch that job
   * documented (null: the default branch).
   */
  public record Repository(
      String id,
      String url,
      long jobs,
      String lastJobId,
      String lastStatus,
      Instant lastJobAt,
      String branch) {}

  /**
   * A page: where it sits in the repository, its scope, title, score, what lowered the score (the
   * quality checks' findings), the commit it describes, the job that holds it, when it was written
   * (a page an incremental run kept keeps its commit and time) and the scope-relative source files
   * it was made from (a change to one of them rewrites it).
   */
  public record PageEntry(
      String path,
      String scope,
      String kind,
      String title,
      Double score,
      List<String> findings,
      String commitSha,
      String jobId,
      Instant generatedAt,
      List<String> sources,
      String indexedCommit) {}

  /**
   * A search hit: the chunk's page and heading, its similarity to the query, its text, and the
   * commit the text was written from.
   */
  public record SearchHit(
      String page, String scope, String heading, double score, String snippet, String commit) {}

  /** A page with its Markdown. */
  public record PageContent(PageEntry entry, String markdown) {}

  public Uni<List<Repository>> repositories() {
    return pool.query(
            "select distinct on (repository_id) repository_id, repository_url, id, status, created_at, branch,"
                + " count(*) over (partition by repository_id) as jobs from orchestrator.job order by repository_id, created_at desc")
        .execute()
        .map(
            rows -> {
              var list = new ArrayList<Repository>();
              rows.forEach(r -> list.add(repository(r)));
              return list;
            });
  }

  public Uni<Optional<Repository>> repository(String id) {
    return pool.preparedQuery(
            "select repository_id, repository_url, id, status, created_at, branch,"
                + " count(*) over () as jobs from orchestrator.job where repository_id = $1 order by created_at desc limit 1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? Optional.empty()
                    : Optional.of(repository(rows.iterator().next())));
  }

  /** The pages of the latest successful run of each scope, without their text. */
  public Uni<List<PageEntry>> pages(String repositoryId) {
    return latestPages(repositoryId, false)
        .map(list -> list.stream().map(PageContent::entry).toList());
  }

  /** The same pages with their Markdown, read in one query. */
  public Uni<List<PageContent>> contents(String repositoryId) {
    return latestPages(repositoryId, true);
  }

  private Uni<List<PageContent>> latestPages(String repositoryId, boolean markdown) {
    return pool.preparedQuery(
            LATEST
                + " select p.job_id, p.scope_path, p.path, p.kind, p.title, p.score, p.findings::text as findings,"
                + " p.commit_sha, p.generated_at, p.sources::text as sources,"
                + (markdown ? " p.markdown," : "")
                + SearchIndex.INDEXED_COMMIT
                + " from worker.page p join latest l on p.job_id = l.job_id and p.scope_path = l.path order by p.scope_path, p.path")
        .execute(Tuple.of(repositoryId))
        .map(
            rows -> {
              var list = new ArrayList<PageContent>();
              rows.forEach(
                  r ->
                      list.add(
                          new PageContent(entry(r), markdown ? r.getString("markdown") : null)));
              return (List<PageContent>) list;
            })
        .onFailure(RepositoryPages::noWorkerTables)
        .recoverWithItem(List.of());
  }

  /**
   * How much of a repository is documented: its pages, when the newest was written, and the commit
   * the documentation describes (that of the newest job whose run is current: a scope it left out
   * had nothing to change at that commit).
   */
  public record Documentation(long pages, String commit, Instant writtenAt) {}

  /** Counted by the database: a repository of thousands of pages is not read to list it. */
  public Uni<Documentation> documentation(String repositoryId) {
    return pool.preparedQuery(
            LATEST
                + " select count(*) as pages, max(p.generated_at) as written_at,"
                + " (select l2.commit_sha from latest l2 order by l2.created_at desc limit 1) as commit_sha"
                + " from worker.page p join latest l on p.job_id = l.job_id and p.scope_path = l.path")
        .execute(Tuple.of(repositoryId))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              var at = r.getOffsetDateTime("written_at");
              return r.getLong("pages") == 0
                  ? new Documentation(0, null, null)
                  : new Documentation(
                      r.getLong("pages"), r.getString("commit_sha"), at.toInstant());
            })
        .onFailure(RepositoryPages::noWorkerTables)
        .recoverWithItem(new Documentation(0, null, null));
  }

  /**
   * A file a scope run wrote: a page or a README at its scope-relative path, or an {@code LLMS}
   * index made from them, with what the scope's configuration says of its pages: their directory
   * (pages go into the pull request only when it is set), whether llms.txt goes beside them, and
   * the scope's name.
   */
  public record JobFile(
      String scope,
      String path,
      String kind,
      String markdown,
      String pagesDir,
      boolean llmsTxt,
      String scopeName) {
    /** Its path in the repository. */
    public String repositoryPath() {
      return scope.isEmpty() ? path : scope + "/" + path;
    }

    /** Whether it goes into the pull request: a README always, pages with a pages directory. */
    public boolean published() {
      return !kind.equals("PAGE") || !pagesDir.isEmpty();
    }

    /** A file made from this scope's files, at another scope-relative path. */
    public JobFile generated(String at, String text) {
      return new JobFile(scope, at, "LLMS", text, pagesDir, llmsTxt, scopeName);
    }
  }

  /** A scope of a job: whose pages to read. */
  public record ScopeRun(java.util.UUID jobId, String scope) {}

  /** Every page and README the given scope runs wrote. */
  public Uni<List<JobFile>> filesOf(List<ScopeRun> runs) {
    if (runs.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return pool.preparedQuery(
            "select p.scope_path, p.path, p.kind, p.markdown,"
                + " coalesce(s.config->'output'->>'pagesDir', '') as pages_dir,"
                + " coalesce((s.config->'output'->>'llmsTxt')::boolean, true) as llms_txt,"
                + " s.config->>'name' as scope_name from worker.page p"
                + " join unnest($1::uuid[], $2::text[]) as r(job_id, scope_path)"
                + " on p.job_id = r.job_id and p.scope_path = r.scope_path"
                + " left join orchestrator.job_scope s on s.job_id = p.job_id and s.path = p.scope_path"
                + " order by p.scope_path, p.path")
        .execute(
            Tuple.of(
                runs.stream().map(ScopeRun::jobId).toArray(java.util.UUID[]::new),
                runs.stream().map(ScopeRun::scope).toArray(String[]::new)))
        .map(
            rows -> {
              var files = new ArrayList<JobFile>();
              rows.forEach(
                  r ->
                      files.add(
                          new JobFile(
                              r.getString("scope_path"),
                              r.getString("path"),
                              r.getString("kind"),
                              r.getString("markdown"),
                              r.getString("pages_dir"),
                              r.getBoolean("llms_txt"),
                              r.getString("scope_name"))));
              return (List<JobFile>) files;
            })
        .onFailure(RepositoryPages::noWorkerTables)
        .recoverWithItem(List.of());
  }

  /** A page by its repository-relative path. */
  public Uni<Optional<PageContent>> page(String repositoryId, String path) {
    return pool.preparedQuery(
            LATEST
                + " select p.job_id, p.scope_path, p.path, p.kind, p.title, p.score, p.findings::text as findings,"
                + " p.commit_sha, p.generated_at, p.sources::text as sources, p.markdown,"
                + SearchIndex.INDEXED_COMMIT
                + " from worker.page p join latest l on p.job_id = l.job_id and p.scope_path = l.path"
                + " where case when p.scope_path = '' then p.path else p.scope_path || '/' || p.path end = $2")
        .execute(Tuple.of(repositoryId, path))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? Optional.<PageContent>empty()
                    : Optional.of(
                        new PageContent(
                            entry(rows.iterator().next()),
                            rows.iterator().next().getString("markdown"))))
        .onFailure(RepositoryPages::noWorkerTables)
        .recoverWithItem(Optional.empty());
  }

  /**
   * How many chunks nearest by sign bits are scored exactly: enough that the best ones by the dot
   * product are among them (the benchmark measures how often they are), few enough to score in
   * milliseconds.
   */
  static final int CANDIDATES = 1000;

  /**
   * The chunks most similar to the query, among the pages of each scope's latest successful run.
   * Vectors are unit length, so the dot product is the cosine similarity; chunks name theirs by
   * their text's digest, and only vectors of the query's model and version are compared. Every
   * chunk is ranked first by the bits in which its vector's signs differ from the query's (Hamming
   * distance, {@code worker.chunk_vector.signature}); the {@link #CANDIDATES} nearest, and as many
   * of those holding the query word for word, are then scored exactly. A chunk that holds the query
   * word for word gets {@link #EXACT_MATCH} on top: meaning alone cannot tell {@code
   * gyp.generator.ninja.Target} from {@code gyp.generator.analyzer.Target}, and a reader searching
   * a name wants the one named.
   */
  public Uni<List<SearchHit>> search(
      String repositoryId, String words, float[] query, String model, String version, int k) {
    Float[] vector = new Float[query.length];
    var signs = new StringBuilder(query.length);
    for (int i = 0; i < query.length; i++) {
      vector[i] = query[i];
      signs.append(query[i] > 0 ? '1' : '0');
    }
    // One pass over the chunks gives both kinds of candidates: the nearest by sign bits, and the
    // nearest of those that hold the query word for word.
    return pool.preparedQuery(
            LATEST
                + ", scanned as materialized (select c.job_id, c.scope_path, c.page_path, c.ordinal,"
                + " bit_count(v.signature # cast($8 as text)::varbit) as bits,"
                + " strpos(c.text, $5) > 0 as exact from worker.chunk c"
                + " join latest l on c.job_id = l.job_id and c.scope_path = l.path"
                + " join worker.chunk_vector v on v.model = c.model and v.model_version = c.model_version"
                + " and v.digest = c.digest where c.model = $3 and c.model_version = $7),"
                + " candidates as ((select job_id, scope_path, page_path, ordinal from scanned"
                + " order by bits limit $9) union (select job_id, scope_path, page_path, ordinal"
                + " from scanned where exact order by bits limit $9))"
                + " select c.page_path, c.scope_path, c.heading, c.text, c.commit_sha,"
                + " (select sum(a * b) from unnest(v.embedding, $2::real[]) as t(a, b))"
                + " + case when strpos(c.text, $5) > 0 then $6::float8 else 0 end as score"
                + " from candidates n join worker.chunk c on c.job_id = n.job_id"
                + " and c.scope_path = n.scope_path and c.page_path = n.page_path and c.ordinal = n.ordinal"
                + " join worker.chunk_vector v on v.model = c.model and v.model_version = c.model_version"
                + " and v.digest = c.digest order by score desc limit $4")
        .execute(
            Tuple.from(
                new Object[] {
                  repositoryId,
                  vector,
                  model,
                  k,
                  words.strip(),
                  EXACT_MATCH,
                  version,
                  signs.toString(),
                  CANDIDATES
                }))
        .map(
            rows -> {
              var hits = new ArrayList<SearchHit>();
              rows.forEach(
                  r -> {
                    String scope = r.getString("scope_path");
                    String text = r.getString("text");
                    hits.add(
                        new SearchHit(
                            scope.isEmpty()
                                ? r.getString("page_path")
                                : scope + "/" + r.getString("page_path"),
                            scope,
                            r.getString("heading"),
                            Math.round(r.getDouble("score") * 10000) / 10000.0,
                            text.length() > 240 ? text.substring(0, 240) + "…" : text,
                            r.getString("commit_sha")));
                  });
              return (List<SearchHit>) hits;
            })
        .onFailure(RepositoryPages::noWorkerTables)
        .recoverWithItem(List.of());
  }

  /** A search hit in one of several repositories searched at once. */
  public record RepositoryHit(String repository, SearchHit hit) {}

  /** The best {@code k} hits over several repositories, best first. */
  public Uni<List<RepositoryHit>> search(
      List<String> repositoryIds,
      String words,
      float[] query,
      String model,
      String version,
      int k) {
    if (repositoryIds.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Uni<List<RepositoryHit>>> each = new ArrayList<>();
    for (String id : repositoryIds) {
      each.add(
          search(id, words, query, model, version, k)
              .map(hits -> hits.stream().map(h -> new RepositoryHit(id, h)).toList()));
    }
    return Uni.join()
        .all(each)
        .andFailFast()
        .map(
            lists ->
                lists.stream()
                    .flatMap(List::stream)
                    .sorted(
                        java.util.Comparator.comparingDouble((RepositoryHit h) -> h.hit().score())
                            .reversed())
                    .limit(k)
                    .toList());
  }

  /** Pages of the repository whose text search does not find yet ({@link SearchIndex}). */
  public Uni<Long> pendingPages(String repositoryId) {
    return SearchIndex.pendingPages(pool, repositoryId);
  }

  private static Repository repository(Row r) {
    return new Repository(
        r.getString("repository_id"),
        r.getString("repository_url"),
        r.getLong("jobs"),
        r.getUUID("id").toString(),
        r.getString("status"),
        r.getOffsetDateTime("created_at").toInstant(),
        r.getString("branch"));
  }

  private static PageEntry entry(Row r) {
    String scope = r.getString("scope_path");
    String path = scope.isEmpty() ? r.getString("path") : scope + "/" + r.getString("path");
    return new PageEntry(
        path,
        scope,
        r.getString("kind"),
        r.getString("title"),
        r.getDouble("score"),
        strings(r.getString("findings"), "findings"),
        r.getString("commit_sha"),
        r.getUUID("job_id").toString(),
        r.getOffsetDateTime("generated_at").toInstant(),
        strings(r.getString("sources"), "sources"),
        r.getString("indexed_commit"));
  }

  /** A JSON array of strings from a {@code worker.page} column. */
  public static List<String> strings(String json, String column) {
    try {
      return List.of(EventCodec.json().readValue(json, String[].class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(
          "worker.page." + column + " is not a JSON array of strings", e);
    }
  }

  /** Until a worker has run against this database its tables do not exist: no pages yet. */
  private static boolean noWorkerTables(Throwable failure) {
    return dev.autodoc.support.messaging.Failures.isUndefinedTable(failure);
  }
}
