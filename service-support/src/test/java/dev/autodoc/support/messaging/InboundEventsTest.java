package dev.autodoc.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.CloudEventHeaders;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.JobMode;
import dev.autodoc.common.event.JobRequested;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.support.SupportConfig;
import dev.autodoc.support.tracing.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.core.Vertx;
import io.vertx.core.impl.NoStackTraceThrowable;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What becomes of a record whose effect fails, before and after its service starts to stop. The
 * failure is the one a closed Vert.x pool gives ("Pool closed", a {@link NoStackTraceThrowable}).
 */
class InboundEventsTest {
  private static final Vertx VERTX = Vertx.vertx();
  private static final int ATTEMPTS = 3;

  @AfterAll
  static void closeVertx() {
    VERTX.close();
  }

  /** A record of autodoc.job.requested as the connector delivers it, and what was done with it. */
  private static final class Delivered {
    final AtomicBoolean acked = new AtomicBoolean();
    final AtomicReference<Throwable> nacked = new AtomicReference<>();
    final Message<byte[]> message;
    final AutodocEvent event;

    Delivered() {
      this(null);
    }

    /** A record of the given body, or of a job request when null. */
    Delivered(String unreadable) {
      AutodocEvent event =
          new JobRequested(
              UUID.randomUUID(),
              UUID.randomUUID(),
              Instant.now(),
              AutodocEvent.SCHEMA_VERSION,
              "https://example.com/a/b.git",
              "main",
              JobMode.FULL,
              false,
              false,
              null);
      this.event = event;
      byte[] body =
          (unreadable == null ? EventCodec.encode(event) : unreadable)
              .getBytes(StandardCharsets.UTF_8);
      var record = new ConsumerRecord<byte[], byte[]>(Topics.JOB_REQUESTED, 0, 7L, null, body);
      record
          .headers()
          .add(CloudEventHeaders.TYPE, event.type().ceType().getBytes(StandardCharsets.UTF_8));
      message =
          Message.of(
              body,
              Metadata.of(new IncomingKafkaRecordMetadata<>(record, "job-requested")),
              () -> {
                acked.set(true);
                return CompletableFuture.completedFuture(null);
              },
              failure -> {
                nacked.set(failure);
                return CompletableFuture.completedFuture(null);
              });
    }
  }

  private static InboundEvents inbound() {
    SupportConfig config =
        (SupportConfig)
            Proxy.newProxyInstance(
                SupportConfig.class.getClassLoader(),
                new Class<?>[] {SupportConfig.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "consumerMaxAttempts" -> ATTEMPTS;
                      case "consumerInitialBackoff" -> Duration.ofMillis(10);
                      case "consumerMaxBackoff" -> Duration.ofMillis(20);
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
    return new InboundEvents(
        config,
        new SimpleMeterRegistry(),
        new Tracing(OpenTelemetry.noop().getTracer("test"), VERTX));
  }

  private static Uni<Void> poolClosed(AtomicInteger tries) {
    tries.incrementAndGet();
    return Uni.createFrom().failure(new NoStackTraceThrowable("Pool closed"));
  }

  /** A poll's worth of records and whether the batch was acknowledged. */
  private static final class Batch {
    final List<Delivered> records;
    final AtomicInteger acknowledged = new AtomicInteger();

    Batch(Delivered... records) {
      this.records = List.of(records);
    }

    Uni<Void> handle(InboundEvents inbound, Function<List<AutodocEvent>, Uni<Void>> effect) {
      return inbound.handleBatch(
          records.stream().map(d -> d.message).toList(),
          () -> {
            acknowledged.incrementAndGet();
            return CompletableFuture.completedFuture(null);
          },
          effect);
    }
  }

  @Test
  void aBatchIsAppliedInOneEffectAndAnUnreadableRecordIsDeadLetteredAlone() {
    var batch =
        new Batch(new Delivered(), new Delivered("{not json"), new Delivered(), new Delivered());
    List<List<AutodocEvent>> applied = new ArrayList<>();
    batch
        .handle(
            inbound(),
            events -> {
              applied.add(events);
              return Uni.createFrom().voidItem();
            })
        .await()
        .atMost(Duration.ofSeconds(10));
    assertThat(applied).hasSize(1);
    assertThat(applied.getFirst())
        .containsExactly(
            batch.records.get(0).event, batch.records.get(2).event, batch.records.get(3).event);
    assertThat(batch.records.get(1).nacked.get()).hasMessageContaining("JSON");
    assertThat(batch.records).filteredOn(d -> d.nacked.get() != null).hasSize(1);
    assertThat(batch.acknowledged).hasValue(1);
  }

  @Test
  void aBatchThatFailsForGoodIsAppliedRecordByRecordAndOnlyTheFailingOneIsDeadLettered() {
    var batch = new Batch(new Delivered(), new Delivered(), new Delivered());
    AutodocEvent bad = batch.records.get(1).event;
    List<Integer> sizes = new ArrayList<>();
    batch
        .handle(
            inbound(),
            events -> {
              sizes.add(events.size());
              return events.contains(bad)
                  ? Uni.createFrom()
                      .failure(new PermanentException(Reason.INVALID_EVENT, "no such job"))
                  : Uni.createFrom().voidItem();
            })
        .await()
        .atMost(Duration.ofSeconds(10));
    assertThat(sizes).containsExactly(3, 1, 1, 1);
    assertThat(batch.records.get(1).nacked.get()).hasMessageContaining("no such job");
    assertThat(batch.records.get(0).nacked.get()).isNull();
    assertThat(batch.records.get(2).nacked.get()).isNull();
    assertThat(batch.acknowledged).hasValue(1);
  }

  @Test
  void aBatchThatOutlastsTheRetriesDeadLettersEveryRecord() {
    var batch = new Batch(new Delivered(), new Delivered());
    var tries = new AtomicInteger();
    batch.handle(inbound(), e -> poolClosed(tries)).await().atMost(Duration.ofSeconds(10));
    assertThat(tries).hasValue(ATTEMPTS);
    assertThat(batch.records).allSatisfy(d -> assertThat(d.nacked.get()).hasMessage("Pool closed"));
  }

  @Test
  void aStoppingServiceLeavesAFailedBatchUnacknowledged() {
    var inbound = inbound();
    inbound.stopping();
    var batch = new Batch(new Delivered(), new Delivered());
    var tries = new AtomicInteger();
    Uni<Void> handled = batch.handle(inbound, e -> poolClosed(tries));
    assertThatThrownBy(() -> handled.await().atMost(Duration.ofMillis(500)))
        .isInstanceOf(TimeoutException.class);
    assertThat(tries).hasValue(1);
    assertThat(batch.acknowledged).hasValue(0);
    assertThat(batch.records).allSatisfy(d -> assertThat(d.nacked.get()).isNull());
  }

  @Test
  void aRunningServiceRetriesATransientFailureThenDeadLettersTheRecord() {
    var inbound = inbound();
    var delivered = new Delivered();
    var tries = new AtomicInteger();
    inbound
        .handle(delivered.message, e -> poolClosed(tries))
        .await()
        .atMost(Duration.ofSeconds(10));
    assertThat(tries).hasValue(ATTEMPTS);
    assertThat(delivered.nacked.get()).hasMessage("Pool closed");
    assertThat(delivered.acked).isFalse();
  }

  @Test
  void aStoppingServiceLeavesTheRecordUnacknowledgedForTheNextConsumer() {
    var inbound = inbound();
    inbound.stopping();
    var delivered = new Delivered();
    var tries = new AtomicInteger();
    Uni<Void> handled = inbound.handle(delivered.message, e -> poolClosed(tries));
    assertThatThrownBy(() -> handled.await().atMost(Duration.ofMillis(500)))
        .isInstanceOf(TimeoutException.class);
    assertThat(tries).as("tries: no retry against a closing pool").hasValue(1);
    assertThat(delivered.nacked.get()).as("dead-lettered").isNull();
    assertThat(delivered.acked).isFalse();
  }

  @Test
  void aStoppingServiceStillDeadLettersWhatCanNeverSucceedAndAcknowledgesWhatDid() {
    var inbound = inbound();
    inbound.stopping();
    var refused = new Delivered();
    inbound
        .handle(
            refused.message,
            e ->
                Uni.createFrom()
                    .failure(new PermanentException(Reason.INVALID_EVENT, "no such repository")))
        .await()
        .atMost(Duration.ofSeconds(10));
    assertThat(refused.nacked.get()).hasMessageContaining("no such repository");

    var done = new Delivered();
    inbound
        .handle(done.message, e -> Uni.createFrom().voidItem())
        .await()
        .atMost(Duration.ofSeconds(10));
    assertThat(done.acked).isTrue();
    assertThat(done.nacked.get()).isNull();
  }
}
