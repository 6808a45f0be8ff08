package dev.autodoc.support.persistence;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Creates every service's PostgreSQL pool as Quarkus configures it, with one change: no pool-side
 * acquisition timeout.
 *
 * <p>Vert.x SQL client 4.5 arms a timer of that timeout for each query run on the pool itself and
 * cancels it only when a connection was acquired. While PostgreSQL is down every acquisition fails
 * at once, so each query (ours, and the readiness check's) leaves a timer that fires later and
 * fails an already completed result: "Result is already complete", uncaught, in every service after
 * an outage (eclipse-vertx/vertx-sql-client#1706). Without the timer nothing leaks. A query still
 * cannot wait forever for a dead database: connecting fails at once when it refuses and after the
 * driver's connect timeout when it does not answer; only a pool exhausted by its own queries makes
 * a request wait for one of them to end.
 */
@Singleton
public class PostgresPools implements PgPoolCreator {
  @Override
  public Pool create(Input input) {
    PoolOptions options = new PoolOptions(input.poolOptions()).setConnectionTimeout(0);
    return PgBuilder.pool()
        .with(options)
        .connectingTo(List.<SqlConnectOptions>copyOf(input.pgConnectOptionsList()))
        .using(input.vertx())
        .build();
  }
}
