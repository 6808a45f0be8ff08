package dev.autodoc.support.outbox;

import dev.autodoc.common.event.CloudEventHeaders;
import dev.autodoc.support.SupportConfig;
import dev.autodoc.support.tracing.Traces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in id order and deletes them once the broker acknowledged them.
 * Rows are locked with {@code SKIP LOCKED}, so replicas never publish the same row at once. A crash
 * between the acknowledgement and the delete publishes a row again: consumers are idempotent by
 * event id, which is what at-least-once asks of them.
 */
@ApplicationScoped
public class OutboxRelay {
  /** The outgoing channel every service publishes through; each record names its topic. */
  public static final String CHANNEL = "autodoc-outbox";

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final Duration FINAL_FLUSH = Duration.ofSeconds(5);
  private static final Duration BACKLOG_INTERVAL = Duration.ofSeconds(5);

  private final Pool pool;

  // Field injection: the emitter is not connected when injected through a library bean's
  // constructor.
  @Inject
  @Channel(CHANNEL)
  MutinyEmitter<String> emitter;

  private final SupportConfig config;
  private final Counter published;
  private final String select;
  private final String delete;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean wanted = new AtomicBoolean();
  private volatile boolean started;
  private volatile long timer;
  private volatile long backlogTimer;
  private final AtomicLong backlog = new AtomicLong();
  private final String count;
  private volatile boolean stopping;
  private volatile Vertx vertx;

  OutboxRelay(
      Pool pool,
      @Channel(CHANNEL) MutinyEmitter<String> emitter,
      SupportConfig config,
      MeterRegistry registry) {
    this.pool = pool;
    this.config = config;
    this.published =
        Counter.builder(dev.autodoc.common.metrics.MetricNames.OUTBOX_PUBLISHED)
            .description("events published from the outbox")
            .register(registry);
    String table = config.schema() + ".outbox";
    this.select =
        "select id, event_id, topic, record_key, ce_type, payload, trace_parent from "
            + table
            + " order by id limit $1 for update skip locked";
    this.delete = "delete from " + table + " where id = any($1)";
    this.count = "select count(*) as n from " + table;
    registry.gauge(dev.autodoc.common.metrics.MetricNames.OUTBOX_BACKLOG, backlog);
  }

  /**
   * Starts the polling after messaging is wired (application observers run after it): a poll before
   * that would create this bean while its emitter cannot be connected yet.
   */
  void onStart(@Observes StartupEvent event, Vertx vertx) {
    this.vertx = vertx;
    started = true;
    timer = vertx.setPeriodic(config.outboxPollInterval().toMillis(), id -> wake());
    backlogTimer = vertx.setPeriodic(BACKLOG_INTERVAL.toMillis(), id -> measureBacklog());
    wake();
  }

  void onStop(@Observes ShutdownEvent event, Vertx vertx) {
    stopping = true;
    vertx.cancelTimer(timer);
    vertx.cancelTimer(backlogTimer);
    // What was written last (a stopping worker's ScopeCompleted) goes out now, not on the next
    // poll of another replica; bounded, as the broker may be what is gone.
    long deadline = System.nanoTime() + FINAL_FLUSH.toNanos();
    try {
      while (System.nanoTime() < deadline
          && drainOnce().await().atMost(Duration.ofNanos(deadline - System.nanoTime())) > 0) {
        LOG.debug("outbox relay: published before stopping");
      }
    } catch (RuntimeException e) {
      LOG.infof("outbox relay: left for the next replica to publish: %s", e.getMessage());
    }
  }

  /** Events waiting to be published: a backlog that grows means the broker is out of reach. */
  private void measureBacklog() {
    pool.query(count)
        .execute()
        .subscribe()
        .with(
            rows -> backlog.set(rows.iterator().next().getLong("n")),
            failure -> LOG.debugf("outbox backlog: %s", failure.getMessage()));
  }

  /** Drains the outbox unless a drain is running; a running drain then goes round once more. */
  public void wake() {
    wanted.set(true);
    if (!started || stopping || !draining.compareAndSet(false, true)) {
      return;
    }
    wanted.set(false);
    // On a context of its own: a drain woken by some job's work is no part of that job's trace
    // (each record's span continues the trace its row names), and leaves that work's context as
    // it was.
    var context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
    Uni.createFrom()
        .deferred(this::drainOnce)
        .runSubscriptionOn(task -> context.runOnContext(ignored -> task.run()))
        .subscribe()
        .with(
            count -> finished(count > 0),
            failure -> {
              LOG.warnf("outbox relay: %s; retrying on the next poll", failure.getMessage());
              finished(false);
            });
  }

  private void finished(boolean more) {
    draining.set(false);
    if (more || wanted.get()) {
      wake();
    }
  }

  /** Publishes one batch; the number of events published. */
  Uni<Integer> drainOnce() {
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(select)
                .execute(Tuple.of(config.outboxBatchSize()))
                .onItem()
                .transformToUni(
                    rows -> {
                      List<Row> batch = new ArrayList<>();
                      rows.forEach(batch::add);
                      if (batch.isEmpty()) {
                        return Uni.createFrom().item(0);
                      }
                      List<Uni<Void>> sends = batch.stream().map(this::send).toList();
                      Long[] ids = batch.stream().map(r -> r.getLong("id")).toArray(Long[]::new);
                      return Uni.join()
                          .all(sends)
                          .andFailFast()
                          .chain(() -> tx.preparedQuery(delete).execute(Tuple.of(ids)))
                          .invoke(() -> published.increment(batch.size()))
                          .replaceWith(batch.size());
                    }));
  }

  private Uni<Void> send(Row row) {
    var headers = new RecordHeaders();
    headers.add(CloudEventHeaders.SPEC_VERSION, bytes("1.0"));
    headers.add(CloudEventHeaders.ID, bytes(row.getUUID("event_id").toString()));
    headers.add(CloudEventHeaders.TYPE, bytes(row.getString("ce_type")));
    headers.add(CloudEventHeaders.SOURCE, bytes(config.eventSource()));
    headers.add(CloudEventHeaders.SUBJECT, bytes(subjectOf(row)));
    headers.add(CloudEventHeaders.CONTENT_TYPE, bytes("application/json"));
    var metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic(row.getString("topic"))
            .withKey(row.getString("record_key"))
            .withHeaders(headers)
            .build();
    // The producer span, and the traceparent header the connector writes from it, continue the
    // trace of the work that appended the event, not of this relay's drain.
    var trace = TracingMetadata.withCurrent(Traces.parent(row.getString("trace_parent")));
    return emitter.sendMessage(
        Message.of(row.getString("payload")).addMetadata(metadata).addMetadata(trace));
  }

  private static String subjectOf(Row row) {
    // Every payload carries its job id; reading it back keeps the outbox table narrow.
    String payload = row.getString("payload");
    int at = payload.indexOf("\"jobId\":\"");
    return at < 0 ? "" : payload.substring(at + 9, payload.indexOf('"', at + 9));
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
