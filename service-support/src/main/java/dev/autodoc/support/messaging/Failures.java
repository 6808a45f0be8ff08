package dev.autodoc.support.messaging;

import dev.autodoc.common.error.AutodocException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Tells a failure worth retrying from one that will fail again the same way. */
public final class Failures {
  // SQLSTATE classes of failures that pass: connection, serialization/deadlock, resources,
  // shutdown.
  private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "40", "53", "57");

  private Failures() {}

  public static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AutodocException e) {
        return e.retryable();
      }
      if (t instanceof PgException pg) {
        String state = pg.getSqlState();
        return state != null
            && (TRANSIENT_SQL_CLASSES.contains(state.substring(0, 2)) || state.equals("55P03"));
      }
      if (t instanceof ConnectException
          || t instanceof TimeoutException
          || t instanceof io.vertx.core.impl.NoStackTraceThrowable
          || t instanceof io.vertx.core.VertxException) {
        return true;
      }
    }
    return false;
  }

  /**
   * PostgreSQL cannot be reached or went away: refused or closed connections, connection and
   * shutdown SQLSTATEs, a pool that timed out waiting for a connection. Nothing is wrong with the
   * request; it can be made again once the database is back.
   */
  public static boolean isDatabaseUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg) {
        String state = pg.getSqlState();
        return state != null && (state.startsWith("08") || state.startsWith("57"));
      }
      if (t instanceof ConnectException
          || t instanceof io.vertx.sqlclient.ClosedConnectionException
          || t instanceof TimeoutException
          || t instanceof java.nio.channels.ClosedChannelException) {
        return true;
      }
      if (t instanceof io.vertx.core.VertxException v
          && v.getMessage() != null
          && v.getMessage().toLowerCase(java.util.Locale.ROOT).contains("closed")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A table of another service that does not exist yet: services read each other's tables, and a
   * service that never ran against this database has not created its own.
   */
  public static boolean isUndefinedTable(Throwable failure) {
    return failure instanceof PgException pg && "42P01".equals(pg.getSqlState());
  }

  /** A one-line reason for logs and dead letters. */
  public static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
