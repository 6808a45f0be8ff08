package dev.autodoc.support.inbox;

import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.SupportConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The log of events a consumer has applied. Recording an event in the same transaction as its
 * effect makes the consumer idempotent: a redelivered event finds itself recorded and changes
 * nothing.
 */
@ApplicationScoped
public class ProcessedEvents {
  private final String insert;
  private final Counter redelivered;

  ProcessedEvents(SupportConfig config, MeterRegistry registry) {
    // Registered at zero, so dashboards and alerts see the series before the first redelivery.
    this.redelivered = registry.counter(MetricNames.EVENTS_REDELIVERED);
    this.insert =
        "insert into "
            + config.schema()
            + ".processed_event (event_id, consumer)"
            + " values ($1, $2) on conflict do nothing";
  }

  /**
   * Records the event; true the first time, false when it was applied before (a redelivery, which
   * is counted).
   */
  public Uni<Boolean> firstTime(SqlConnection tx, UUID eventId, String consumer) {
    return tx.preparedQuery(insert)
        .execute(Tuple.of(eventId, consumer))
        .map(rows -> rows.rowCount() == 1)
        .invoke(
            first -> {
              if (!first) {
                redelivered.increment();
              }
            });
  }
}
