package dev.autodoc.support.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs asynchronous work in a span of its own. The work runs on a new duplicated Vert.x context, as
 * a served request does, with the span current there: what the work starts (an outbox append, a
 * nested span) is its child, however many database round trips later, and nothing of it leaks onto
 * a shared event loop or into other work.
 */
@ApplicationScoped
public class Tracing {
  private final Tracer tracer;
  private final Vertx vertx;

  public Tracing(Tracer tracer, Vertx vertx) {
    this.tracer = tracer;
    this.vertx = vertx;
  }

  public Tracer tracer() {
    return tracer;
  }

  /**
   * The work in the span the builder makes, a child of {@code parent}; ended when the work ends and
   * marked as failed when it failed.
   */
  public <T> Uni<T> inSpan(
      Context parent, Function<Tracer, SpanBuilder> span, Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              SpanBuilder builder = span.apply(tracer).setParent(parent);
              io.vertx.core.Context context =
                  VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
              context.runOnContext(
                  ignored -> {
                    Span started = builder.startSpan();
                    Scope scope = started.makeCurrent();
                    Uni<T> running;
                    try {
                      running = work.get();
                    } catch (RuntimeException e) {
                      running = Uni.createFrom().failure(e);
                    }
                    running
                        .subscribe()
                        .with(
                            item -> {
                              Traces.end(started, null);
                              context.runOnContext(done -> scope.close());
                              emitter.complete(item);
                            },
                            failure -> {
                              Traces.end(started, failure);
                              context.runOnContext(done -> scope.close());
                              emitter.fail(failure);
                            });
                  });
            });
  }
}
