package dev.autodoc.support.git;

import dev.autodoc.common.event.JobStatus;
import dev.autodoc.support.messaging.Failures;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes the mirrors of a service that were not used for the retention and whose repository has no
 * job running (a running job may hold its mirror open), as the orchestrator's job table says. While
 * that table cannot be read, nothing is removed.
 */
public final class IdleMirrors {
  private final GitMirror mirror;
  private final Pool pool;
  private final Duration retention;

  public IdleMirrors(GitMirror mirror, Pool pool, Duration retention) {
    this.mirror = mirror;
    this.pool = pool;
    this.retention = retention;
  }

  /** Blocking: removes the idle mirrors and returns their directory names. */
  public List<String> remove() {
    Set<String> inUse;
    try {
      inUse =
          pool.preparedQuery(
                  "select distinct repository_id from orchestrator.job where status <> all($1)")
              .execute(Tuple.of(JobStatus.finalNames()))
              .map(
                  rows -> {
                    Set<String> ids = new HashSet<>();
                    for (Row r : rows) {
                      ids.add(r.getString("repository_id"));
                    }
                    return ids;
                  })
              .await()
              .atMost(Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      if (Failures.isUndefinedTable(e)) {
        return List.of();
      }
      throw e;
    }
    return mirror.removeIdle(retention, inUse);
  }
}
