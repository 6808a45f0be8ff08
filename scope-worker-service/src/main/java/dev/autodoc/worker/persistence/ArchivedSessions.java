package dev.autodoc.worker.persistence;

import dev.autodoc.support.messaging.Failures;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Deletes the agent sessions the reconciler has archived. The reconciler writes each session to S3,
 * reads it back and verifies it before it names the session in {@code reconciler.archived_session};
 * this deletes exactly those, so a session that was not archived is never lost.
 */
@ApplicationScoped
public class ArchivedSessions {
  private static final Logger LOG = Logger.getLogger(ArchivedSessions.class);

  private final Pool pool;

  ArchivedSessions(Pool pool) {
    this.pool = pool;
  }

  @Scheduled(
      every = "${autodoc.worker.session-purge-interval:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> purge() {
    return pool.preparedQuery(
            "delete from worker.agent_session s using reconciler.archived_session a"
                + " where a.session_id = s.id")
        .execute()
        .invoke(
            rows -> {
              if (rows.rowCount() > 0) {
                LOG.debugf("deleted %d archived agent sessions", rows.rowCount());
              }
            })
        .replaceWithVoid()
        // Until a reconciler has run against this database nothing is archived.
        .onFailure(Failures::isUndefinedTable)
        .recoverWithNull()
        .onFailure()
        .invoke(f -> LOG.warnf("deleting archived sessions: %s", Failures.describe(f)))
        .onFailure()
        .recoverWithNull();
  }
}
