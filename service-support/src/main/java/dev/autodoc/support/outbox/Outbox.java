package dev.autodoc.support.outbox;

import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.support.SupportConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Appends events to the outbox inside the caller's transaction, so an event exists exactly when the
 * state change that implies it committed. {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
public class Outbox {
  private final String insert;
  private final OutboxRelay relay;

  Outbox(SupportConfig config, OutboxRelay relay) {
    this.insert =
        "insert into "
            + config.schema()
            + ".outbox (event_id, topic, record_key, ce_type, payload)"
            + " values ($1, $2, $3, $4, $5) on conflict (event_id) do nothing";
    this.relay = relay;
  }

  public Uni<Void> append(SqlConnection tx, AutodocEvent event) {
    return append(tx, List.of(event));
  }

  public Uni<Void> append(SqlConnection tx, List<? extends AutodocEvent> events) {
    if (events.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> rows =
        events.stream()
            .map(
                e ->
                    Tuple.of(
                        e.eventId(),
                        e.type().topic(),
                        e.key(),
                        e.type().ceType(),
                        EventCodec.encode(e)))
            .toList();
    return tx.preparedQuery(insert).executeBatch(rows).replaceWithVoid();
  }

  /** Asks the relay to publish soon; call after the transaction that appended committed. */
  public void wake() {
    relay.wake();
  }
}
