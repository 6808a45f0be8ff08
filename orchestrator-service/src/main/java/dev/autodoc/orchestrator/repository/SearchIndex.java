package dev.autodoc.orchestrator.repository;

import dev.autodoc.support.messaging.Failures;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/**
 * How far the search index has caught up with the pages. Workers make a page's vectors after its
 * scope is done (in the background), so for a while search does not find a page's new text: a page
 * is indexed once every chunk of it has its vector. The API says so per page ({@code
 * indexedCommit}), per search (a header) and per job ({@code index} in its view).
 */
public final class SearchIndex {
  private SearchIndex() {}

  /** Chunk {@code c} has no vector yet. */
  private static final String MISSING =
      "not exists (select 1 from worker.chunk_vector v where v.model = c.model"
          + " and v.model_version = c.model_version and v.digest = c.digest)";

  /**
   * A select column of page {@code p}: its commit when search holds its text, else null (some of
   * its chunks have no vector yet).
   */
  static final String INDEXED_COMMIT =
      " case when exists (select 1 from worker.chunk c where c.job_id = p.job_id"
          + " and c.scope_path = p.scope_path and c.page_path = p.path and "
          + MISSING
          + ") then null else p.commit_sha end as indexed_commit";

  /** The HTTP header of a search answer: pages whose text search does not find yet. */
  public static final String PENDING_HEADER = "Autodoc-Index-Pending-Pages";

  /** A job's pages with chunks, and how many of them search does not find yet. */
  public record Coverage(long pages, long pendingPages) {}

  /** The coverage of a job's pages; empty before any of its scopes stored chunks. */
  public static Uni<Optional<Coverage>> ofJob(Pool pool, UUID jobId) {
    return pool.preparedQuery(
            "select count(distinct (c.scope_path, c.page_path)) as pages,"
                + " count(distinct (c.scope_path, c.page_path)) filter (where "
                + MISSING
                + ") as pending from worker.chunk c where c.job_id = $1")
        .execute(Tuple.of(jobId))
        .map(
            rows -> {
              var r = rows.iterator().next();
              long pages = r.getLong("pages");
              return pages == 0
                  ? Optional.<Coverage>empty()
                  : Optional.of(new Coverage(pages, r.getLong("pending")));
            })
        .onFailure(Failures::isUndefinedTable)
        .recoverWithItem(Optional.empty());
  }

  /** Pages of the repository's current documentation that search does not find yet. */
  public static Uni<Long> pendingPages(Pool pool, String repositoryId) {
    return pool.preparedQuery(
            dev.autodoc.orchestrator.plan.PreviousRuns.LATEST
                + " select count(distinct (c.scope_path, c.page_path)) as pending from worker.chunk c"
                + " join latest l on c.job_id = l.job_id and c.scope_path = l.path where "
                + MISSING)
        .execute(Tuple.of(repositoryId))
        .map(rows -> rows.iterator().next().getLong("pending"))
        .onFailure(Failures::isUndefinedTable)
        .recoverWithItem(0L);
  }
}
