package dev.autodoc.support.outbox;

import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.support.SupportConfig;
import dev.autodoc.support.tracing.Traces;
import io.opentelemetry.context.Context;
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
            + ".outbox (event_id, topic, record_key, ce_type, payload, trace_parent)"
            + " values ($1, $2, $3, $4, $5, $6) on conflict (event_id) do nothing";
    this.relay = relay;
  }

  public Uni<Void> append(SqlConnection tx, AutodocEvent event) {
    return append(tx, List.of(event));
  }

  /** Appends in the current trace context: the event's record will continue that trace. */
  public Uni<Void> append(SqlConnection tx, List<? extends AutodocEvent> events) {
    return append(tx, events, Context.current());
  }

  /**
   * Appends in the given trace context, for work whose context is not current where the append runs
   * (a callback of a transaction begun on another thread).
   */
  public Uni<Void> append(SqlConnection tx, AutodocEvent event, Context trace) {
    return append(tx, List.of(event), trace);
  }

  public Uni<Void> append(SqlConnection tx, List<? extends AutodocEvent> events, Context trace) {
    if (events.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    String traceParent = Traces.traceParent(trace);
    List<Tuple> rows =
        events.stream()
            .map(
                e ->
                    Tuple.of(
                        e.eventId(),
                        e.type().topic(),
                        e.key(),
                        e.type().ceType(),
                        EventCodec.encode(e),
                        traceParent))
            .toList();
    return tx.preparedQuery(insert).executeBatch(rows).replaceWithVoid();
  }

  /** Asks the relay to publish soon; call after the transaction that appended committed. */
  public void wake() {
    relay.wake();
  }
}
