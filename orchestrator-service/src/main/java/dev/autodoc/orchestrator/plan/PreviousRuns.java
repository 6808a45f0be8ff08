package dev.autodoc.orchestrator.plan;

import dev.autodoc.orchestrator.repository.RepositoryPages;
import dev.autodoc.support.messaging.Failures;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The last successful run of every scope of a repository, which an incremental job builds on: its
 * job, the commit it documented and the sources of each page it wrote (from the workers' pages).
 */
@ApplicationScoped
public class PreviousRuns {
  /**
   * The latest successful run of each scope of repository {@code $1}, among the scopes of the
   * repository's latest planned job (a scope that job no longer has was removed). Shared with the
   * repository's pages and search, so the documentation served is the one incremental runs build
   * on.
   */
  public static final String LATEST =
      "with current_job as (select plan from orchestrator.job where repository_id = $1"
          + " and plan is not null and not dry_run order by created_at desc limit 1),"
          + " latest as (select distinct on (s.path) s.job_id, s.path, j.commit_sha, j.created_at"
          + " from orchestrator.job_scope s join orchestrator.job j on j.id = s.job_id"
          + " where j.repository_id = $1 and s.status = 'SUCCEEDED'"
          + " and (not exists (select 1 from current_job) or s.path in"
          + " (select jsonb_array_elements(plan->'scopes')->>'scope' from current_job))"
          + " order by s.path, j.created_at desc)";

  /** A scope's last successful run and when its job was made. */
  public record Run(ChangePlanner.Previous previous, Instant jobCreatedAt) {}

  private final Pool pool;

  PreviousRuns(Pool pool) {
    this.pool = pool;
  }

  /** By scope path; empty for a repository never documented. */
  public Uni<Map<String, Run>> of(String repositoryId) {
    return pool.preparedQuery(
            LATEST
                + " select l.path as scope, l.job_id, l.commit_sha, l.created_at, p.path as page,"
                + " p.sources::text as sources from latest l left join worker.page p"
                + " on p.job_id = l.job_id and p.scope_path = l.path and p.kind = 'PAGE'")
        .execute(Tuple.of(repositoryId))
        .map(
            rows -> {
              Map<String, UUID> jobs = new HashMap<>();
              Map<String, String> commits = new HashMap<>();
              Map<String, Instant> created = new HashMap<>();
              Map<String, Map<String, List<String>>> pages = new HashMap<>();
              rows.forEach(
                  r -> {
                    String scope = r.getString("scope");
                    jobs.put(scope, r.getUUID("job_id"));
                    commits.put(scope, r.getString("commit_sha"));
                    created.put(scope, r.getOffsetDateTime("created_at").toInstant());
                    var scopePages = pages.computeIfAbsent(scope, s -> new TreeMap<>());
                    if (r.getString("page") != null) {
                      scopePages.put(
                          r.getString("page"),
                          RepositoryPages.strings(r.getString("sources"), "sources"));
                    }
                  });
              Map<String, Run> runs = new TreeMap<>();
              jobs.forEach(
                  (scope, job) ->
                      runs.put(
                          scope,
                          new Run(
                              new ChangePlanner.Previous(job, commits.get(scope), pages.get(scope)),
                              created.get(scope))));
              return runs;
            })
        // Until a worker has run against this database no scope has pages: nothing to build on.
        .onFailure(Failures::isUndefinedTable)
        .recoverWithItem(Map.of());
  }
}
