package dev.autodoc.support.messaging;

import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.CloudEventHeaders;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.SupportConfig;
import dev.autodoc.support.logging.JobLogContext;
import dev.autodoc.support.tracing.Traces;
import dev.autodoc.support.tracing.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The one way services consume events: decode the record, apply its effect, acknowledge only after
 * the effect is durable. A transient failure is retried with backoff; a record that cannot be
 * decoded, a permanent failure, or a transient one that outlasts the retries is negatively
 * acknowledged, which the channel's dead-letter strategy sends to {@code autodoc.dlq.<topic>} with
 * the reason. Either way the consumer goes on with the next record.
 */
@ApplicationScoped
public class InboundEvents {
  private static final Logger LOG = Logger.getLogger(InboundEvents.class);

  private final SupportConfig config;
  private final MeterRegistry registry;

  private final Tracing tracing;
  private volatile boolean stopping;

  InboundEvents(SupportConfig config, MeterRegistry registry, Tracing tracing) {
    this.config = config;
    this.registry = registry;
    this.tracing = tracing;
  }

  /**
   * A stopping service closes its database pool while its channels still drain: an effect that
   * fails then ("Pool closed") says nothing about the record. From the stop on, a transient failure
   * is neither retried nor dead-lettered; the record is left unacknowledged, so its offset is not
   * committed and the next consumer of its partition handles it again. First among the stop's
   * observers, before the pool can close.
   */
  void onStop(@Observes @Priority(10) ShutdownEvent event) {
    stopping();
  }

  void stopping() {
    stopping = true;
  }

  /**
   * Records arrive as the bytes they were sent as, so a dead letter carries exactly those bytes
   * (the channels read and dead-letter keys and values with the byte-array serde); the body must be
   * UTF-8.
   */
  public <E extends AutodocEvent> Uni<Void> handle(
      Message<byte[]> message, Function<AutodocEvent, Uni<Void>> effect) {
    String topic = topicOf(message);
    AutodocEvent event;
    try {
      event = EventCodec.decode(topic, ceTypeOf(message), utf8(message.getPayload()));
    } catch (RuntimeException e) {
      return deadLetter(message, topic, e);
    }
    return tracing
        .inSpan(
            parentOf(message),
            tracer -> span(tracer, topic, event),
            () ->
                retried(
                    Uni.createFrom()
                        .deferred(
                            () -> {
                              JobLogContext.enter(event);
                              return effect.apply(event);
                            }),
                    event.eventId().toString()))
        .onItemOrFailure()
        .transformToUni(
            (ok, failure) -> {
              if (failure != null && stopping && Failures.isTransient(failure)) {
                return leftForRedelivery(topic, failure);
              }
              if (failure != null) {
                return deadLetter(message, topic, failure);
              }
              consumed(topic, 1);
              return Uni.createFrom().completionStage(message.ack());
            })
        .eventually(JobLogContext::leave);
  }

  /**
   * A poll's records applied together, for effects that cost a transaction each but are cheap in a
   * row (a job's step events: a scope makes a dozen). Records that cannot be decoded are
   * dead-lettered alone, and the others applied in one effect, retried as {@link #handle} retries
   * one. If that effect fails for good, each record is applied again on its own, so that only a
   * record that fails alone is dead-lettered; one that outlasts the retries dead-letters every
   * record. The batch is acknowledged at the end, which commits its last offsets.
   *
   * <p>The span of the batch links to each record's publishing span rather than being a child of
   * one of them.
   */
  public Uni<Void> handleBatch(
      List<? extends Message<byte[]>> records,
      Supplier<CompletionStage<Void>> acknowledge,
      Function<List<AutodocEvent>, Uni<Void>> effect) {
    if (records.isEmpty()) {
      return Uni.createFrom().completionStage(acknowledge);
    }
    String topic = topicOf(records.getFirst());
    List<Message<byte[]>> decoded = new ArrayList<>();
    List<AutodocEvent> events = new ArrayList<>();
    List<Uni<Void>> rejected = new ArrayList<>();
    for (Message<byte[]> record : records) {
      try {
        events.add(EventCodec.decode(topic, ceTypeOf(record), utf8(record.getPayload())));
        decoded.add(record);
      } catch (RuntimeException e) {
        rejected.add(deadLetter(record, topic, e));
      }
    }
    Uni<Void> deadLettered =
        rejected.isEmpty()
            ? Uni.createFrom().voidItem()
            : Uni.join().all(rejected).andCollectFailures().replaceWithVoid();
    Uni<Void> applied =
        events.isEmpty()
            ? Uni.createFrom().voidItem()
            : tracing
                .inSpan(
                    Context.current(),
                    tracer -> batchSpan(tracer, topic, decoded),
                    () ->
                        retried(
                            Uni.createFrom().deferred(() -> effect.apply(events)),
                            events.size() + " events of " + topic))
                .onItemOrFailure()
                .transformToUni(
                    (ok, failure) -> {
                      if (failure == null) {
                        consumed(topic, events.size());
                        return Uni.createFrom().voidItem();
                      }
                      if (stopping && Failures.isTransient(failure)) {
                        return leftForRedelivery(topic, failure);
                      }
                      if (Failures.isTransient(failure)) {
                        return Uni.join()
                            .all(decoded.stream().map(r -> deadLetter(r, topic, failure)).toList())
                            .andCollectFailures()
                            .replaceWithVoid();
                      }
                      LOG.debugf(
                          "a batch of %s failed (%s): applying its records one by one",
                          topic, Failures.describe(failure));
                      Uni<Void> oneByOne = Uni.createFrom().voidItem();
                      for (Message<byte[]> record : decoded) {
                        oneByOne =
                            oneByOne.chain(() -> handle(record, e -> effect.apply(List.of(e))));
                      }
                      return oneByOne;
                    });
    return deadLettered
        .chain(() -> applied)
        .chain(() -> Uni.createFrom().completionStage(acknowledge));
  }

  /** Applies an effect, retrying a transient failure with backoff unless the service stops. */
  private Uni<Void> retried(Uni<Void> effect, String what) {
    return effect
        .onFailure(Failures::isTransient)
        .invoke(f -> LOG.debugf("transient failure applying %s: %s", what, Failures.describe(f)))
        .onFailure(f -> Failures.isTransient(f) && !stopping)
        .retry()
        .withBackOff(config.consumerInitialBackoff(), config.consumerMaxBackoff())
        .atMost(config.consumerMaxAttempts() - 1L);
  }

  private static Uni<Void> leftForRedelivery(String topic, Throwable failure) {
    LOG.infof(
        "stopping: a record of %s is left for redelivery (%s)", topic, Failures.describe(failure));
    return Uni.createFrom().nothing();
  }

  private void consumed(String topic, int count) {
    registry.counter(MetricNames.EVENTS_CONSUMED, MetricNames.TAG_TOPIC, topic).increment(count);
  }

  private static SpanBuilder batchSpan(Tracer tracer, String topic, List<Message<byte[]>> records) {
    SpanBuilder builder =
        tracer
            .spanBuilder(topic + " process")
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("messaging.destination.name", topic)
            .setAttribute("messaging.batch.message_count", (long) records.size());
    for (Message<byte[]> record : records) {
      var linked = Span.fromContext(parentOf(record)).getSpanContext();
      if (linked.isValid()) {
        builder.addLink(linked);
      }
    }
    return builder;
  }

  /**
   * The span of applying an event is a child of the connector's receive span, itself the child of
   * the span that published the record (its {@code traceparent} header).
   */
  private static Context parentOf(Message<byte[]> message) {
    return TracingMetadata.fromMessage(message)
        .map(TracingMetadata::getCurrentContext)
        .orElseGet(Context::current);
  }

  private static SpanBuilder span(Tracer tracer, String topic, AutodocEvent event) {
    return tracer
        .spanBuilder(event.getClass().getSimpleName() + " process")
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute("messaging.destination.name", topic)
        .setAttribute("messaging.message.id", event.eventId().toString())
        .setAttribute(Traces.JOB_ID, event.jobId().toString());
  }

  private static String utf8(byte[] body) {
    if (body == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw new PermanentException(
          Reason.INVALID_EVENT, "the record body is not UTF-8 text (" + e.getMessage() + ")");
    }
  }

  private Uni<Void> deadLetter(Message<byte[]> message, String topic, Throwable failure) {
    LOG.warnf("dead-lettering a record of %s: %s", topic, Failures.describe(failure));
    registry
        .counter(
            MetricNames.EVENTS_DEAD_LETTERED,
            MetricNames.TAG_TOPIC,
            topic,
            MetricNames.TAG_REASON,
            reasonOf(failure))
        .increment();
    return Uni.createFrom().completionStage(message.nack(failure));
  }

  /** The reason code of a failure: its own, or what a failure of no kind of ours means here. */
  private static String reasonOf(Throwable failure) {
    if (failure instanceof AutodocException e) {
      return e.reason().name();
    }
    return Failures.isTransient(failure)
        ? Reason.ATTEMPTS_EXHAUSTED.name()
        : Reason.INTERNAL.name();
  }

  private static String topicOf(Message<byte[]> message) {
    return message
        .getMetadata(IncomingKafkaRecordMetadata.class)
        .map(IncomingKafkaRecordMetadata::getTopic)
        .orElse("");
  }

  private static String ceTypeOf(Message<byte[]> message) {
    return message
        .getMetadata(IncomingKafkaRecordMetadata.class)
        .map(m -> m.getHeaders().lastHeader(CloudEventHeaders.TYPE))
        .map(Header::value)
        .map(v -> new String(v, StandardCharsets.UTF_8))
        .orElse(null);
  }
}
