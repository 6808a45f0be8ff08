package dev.autodoc.support.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;

/**
 * A job's trace across services. Work that continues elsewhere (an event in the outbox, a callback
 * delivery, a scope on a worker thread) keeps the context it was started in as a W3C {@code
 * traceparent}, and its spans are children of that context wherever and whenever they run. The
 * services sample nothing unless configured to (see each service's {@code application.properties}),
 * yet the contexts are made and carried all the same, so the trace id ties log lines together.
 */
public final class Traces {
  /** The span attribute naming the job a span works for. */
  public static final String JOB_ID = "autodoc.job.id";

  public static final String SCOPE = "autodoc.scope";

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final String TRACEPARENT = "traceparent";

  private static final TextMapGetter<String> FROM_VALUE =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return java.util.List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
          return TRACEPARENT.equals(key) ? carrier : null;
        }
      };

  private Traces() {}

  /** The context as a {@code traceparent} value; null when it holds no valid span. */
  public static String traceParent(Context context) {
    if (!Span.fromContext(context).getSpanContext().isValid()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>();
    W3C.inject(context, carrier, Map::put);
    return carrier.get(TRACEPARENT);
  }

  public static String currentTraceParent() {
    return traceParent(Context.current());
  }

  /** The context a {@code traceparent} value names; the root context for null or garbage. */
  public static Context parent(String traceParent) {
    if (traceParent == null || traceParent.isBlank()) {
      return Context.root();
    }
    return W3C.extract(Context.root(), traceParent, FROM_VALUE);
  }

  /** The current trace id, or null outside any span. */
  public static String currentTraceId() {
    SpanContext span = Span.current().getSpanContext();
    return span.isValid() ? span.getTraceId() : null;
  }

  /** Ends the span, marked as failed when the work failed. */
  public static void end(Span span, Throwable failure) {
    if (failure != null) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    }
    span.end();
  }
}
