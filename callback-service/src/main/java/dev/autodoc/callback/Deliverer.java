package dev.autodoc.callback;

import dev.autodoc.callback.Deliveries.Attempt;
import dev.autodoc.callback.Deliveries.Claimed;
import dev.autodoc.callback.Deliveries.Status;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.net.AddressPolicy;
import dev.autodoc.support.net.PinnedHttp;
import dev.autodoc.support.retry.Backoff;
import dev.autodoc.support.tracing.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Sends due deliveries. Each attempt is one signed POST; 2xx delivers, 429, 5xx, timeouts and
 * connection failures are retried with backoff (or after the receiver's {@code Retry-After}) until
 * the attempts run out, and anything else (3xx, which is not followed, and other 4xx) fails the
 * delivery at once. All state is in PostgreSQL: a restart, or another replica, picks up a delivery
 * waiting out its backoff when it falls due, with the same delivery id.
 */
@ApplicationScoped
public class Deliverer {
  private static final Logger LOG = Logger.getLogger(Deliverer.class);

  private final Deliveries deliveries;
  private final CallbackConfig config;
  private final MeterRegistry registry;
  private final PinnedHttp client;
  private final Tracer tracer;
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicBoolean sendAgain = new AtomicBoolean();

  Deliverer(
      Deliveries deliveries,
      CallbackConfig config,
      MeterRegistry registry,
      Vertx vertx,
      AddressPolicy policy,
      Tracer tracer) {
    this.tracer = tracer;
    this.deliveries = deliveries;
    this.config = config;
    this.registry = registry;
    // Never follows a redirect, which could lead anywhere past the address check: a failure.
    this.client = new PinnedHttp(vertx, policy, config.connectTimeout());
  }

  @Scheduled(
      every = "${autodoc.callback.poll-interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void tick() {
    sendDue();
  }

  /** Sends what is due now; called on a schedule and when a delivery was made. */
  public void sendDue() {
    sendAgain.set(true);
    if (!sending.compareAndSet(false, true)) {
      return;
    }
    sendAgain.set(false);
    deliveries
        .claimDue(config.batchSize(), config.lease())
        .subscribe()
        .with(
            claimed -> {
              claimed.forEach(
                  d ->
                      attempt(d)
                          .subscribe()
                          .with(
                              ok -> {},
                              f ->
                                  LOG.errorf(
                                      "callback of job %s: %s", d.jobId(), Failures.describe(f))));
              sending.set(false);
              if (sendAgain.get() && !claimed.isEmpty()) {
                sendDue();
              }
            },
            failure -> {
              LOG.warnf("looking for due callbacks: %s", Failures.describe(failure));
              sending.set(false);
            });
  }

  private Uni<Void> attempt(Claimed delivery) {
    return Uni.createFrom()
        .item(() -> send(delivery))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .chain(
            sent ->
                deliveries
                    .record(delivery, sent.attempt(), sent.requested())
                    .invoke(
                        moved -> {
                          if (moved) {
                            count(delivery, sent);
                          }
                        }))
        .replaceWithVoid();
  }

  private record Sent(Attempt attempt, boolean requested) {}

  /**
   * Blocking: one attempt, as a span of the job's trace (the context its JobCompleted was consumed
   * in), whose context the request carries in a {@code traceparent} header for receivers that
   * trace.
   */
  private Sent send(Claimed delivery) {
    Span span =
        tracer
            .spanBuilder("callback attempt")
            .setParent(Traces.parent(delivery.traceParent()))
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(Traces.JOB_ID, delivery.jobId().toString())
            .setAttribute("autodoc.callback.attempt", delivery.attempts() + 1L)
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      Sent sent = post(delivery, Traces.currentTraceParent());
      Attempt attempt = sent.attempt();
      if (attempt.statusCode() != null) {
        span.setAttribute("http.response.status_code", attempt.statusCode().longValue());
      }
      if (attempt.next() != Status.DELIVERED) {
        span.setStatus(StatusCode.ERROR, String.valueOf(attempt.error()));
      }
      return sent;
    } finally {
      span.end();
    }
  }

  /** Resolves and checks the address, then POSTs once to that very address. */
  private Sent post(Claimed delivery, String traceParent) {
    int number = delivery.attempts() + 1;
    Instant started = Instant.now();
    URI uri;
    try {
      uri = Destinations.parse(delivery.url());
    } catch (Destinations.Refused e) {
      return refused(number, started, e.getMessage());
    }
    long timestamp = started.getEpochSecond();
    Map<String, String> headers =
        new HashMap<>(
            Map.of(
                "Content-Type",
                "application/json",
                "User-Agent",
                "autodoc-callback",
                Signatures.DELIVERY_HEADER,
                delivery.id().toString(),
                Signatures.EVENT_HEADER,
                CallbackPayload.EVENT,
                Signatures.TIMESTAMP_HEADER,
                Long.toString(timestamp),
                Signatures.SIGNATURE_HEADER,
                Signatures.sign(config.secret(), timestamp, delivery.payload())));
    if (traceParent != null) {
      headers.put("traceparent", traceParent);
    }
    long start = System.nanoTime();
    try {
      PinnedHttp.Response response =
          client.send("POST", uri, headers, delivery.payload(), config.requestTimeout());
      long millis = (System.nanoTime() - start) / 1_000_000;
      int code = response.status();
      if (code >= 200 && code < 300) {
        return new Sent(
            new Attempt(number, started, code, millis, null, Status.DELIVERED, Duration.ZERO),
            true);
      }
      if (code == 429 || code >= 500) {
        return new Sent(
            after(
                number,
                started,
                code,
                millis,
                "the receiver answered " + code,
                response.header("Retry-After").flatMap(Deliverer::retryAfter)),
            true);
      }
      String why =
          code >= 300 && code < 400
              ? "the receiver answered " + code + " (redirects are not followed)"
              : "the receiver answered " + code + " (not retried)";
      return new Sent(
          new Attempt(number, started, code, millis, why, Status.FAILED, Duration.ZERO), true);
    } catch (AddressPolicy.Refused e) {
      return refused(number, started, "callback URL " + delivery.url() + ": " + e.getMessage());
    } catch (UnknownHostException e) {
      return new Sent(
          after(
              number,
              started,
              null,
              0,
              "host '" + uri.getHost() + "' does not resolve",
              Optional.empty()),
          true);
    } catch (PinnedHttp.Timeout e) {
      long millis = (System.nanoTime() - start) / 1_000_000;
      return new Sent(
          after(number, started, null, millis, "timed out: " + e.getMessage(), Optional.empty()),
          true);
    } catch (IOException e) {
      long millis = (System.nanoTime() - start) / 1_000_000;
      return new Sent(
          after(
              number,
              started,
              null,
              millis,
              "connection failed: " + Failures.describe(e),
              Optional.empty()),
          true);
    }
  }

  /** A destination the service will not send to: the delivery fails without a request. */
  private static Sent refused(int number, Instant started, String why) {
    return new Sent(
        new Attempt(number, started, null, 0, "refused: " + why, Status.FAILED, Duration.ZERO),
        false);
  }

  /** A retryable failure: the next attempt after the backoff, or the end when attempts ran out. */
  private Attempt after(
      int number,
      Instant started,
      Integer code,
      long millis,
      String error,
      Optional<Duration> retryAfter) {
    if (number >= config.maxAttempts()) {
      return new Attempt(
          number,
          started,
          code,
          millis,
          error + "; gave up after " + number + " attempts",
          Status.FAILED,
          Duration.ZERO);
    }
    Duration wait =
        retryAfter
            .map(r -> r.compareTo(config.maxRetryAfter()) > 0 ? config.maxRetryAfter() : r)
            .orElseGet(
                () -> new Backoff(config.initialBackoff(), config.maxBackoff()).after(number));
    return new Attempt(number, started, code, millis, error, Status.PENDING, wait);
  }

  /** {@code Retry-After} as seconds or an HTTP date. */
  static Optional<Duration> retryAfter(String value) {
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException e) {
      try {
        Duration until =
            Duration.between(
                Instant.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
        return Optional.of(until.isNegative() ? Duration.ZERO : until);
      } catch (DateTimeParseException unparsable) {
        return Optional.empty();
      }
    }
  }

  private void count(Claimed delivery, Sent sent) {
    Attempt a = sent.attempt();
    String outcome =
        a.statusCode() == null
            ? (sent.requested() ? "error" : "refused")
            : a.statusCode() / 100 + "xx";
    registry.counter(MetricNames.CALLBACK_ATTEMPTS, MetricNames.TAG_OUTCOME, outcome).increment();
    if (sent.requested()) {
      Timer.builder(MetricNames.CALLBACK_LATENCY)
          .tag(MetricNames.TAG_OUTCOME, outcome)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(5))
          .maximumExpectedValue(Duration.ofMinutes(1))
          .register(registry)
          .record(Duration.ofMillis(a.latencyMillis()));
    }
    if (a.next() != Status.PENDING) {
      registry
          .counter(MetricNames.CALLBACKS_FINISHED, MetricNames.TAG_STATUS, a.next().name())
          .increment();
      LOG.infof(
          "callback %s of job %s %s after %d attempts%s",
          delivery.id(),
          delivery.jobId(),
          a.next() == Status.DELIVERED ? "delivered" : "failed",
          sent.requested() ? a.number() : delivery.attempts(),
          a.error() == null ? "" : ": " + a.error());
    }
  }
}
