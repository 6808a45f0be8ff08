package dev.autodoc.worker;

import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobProgress;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.outbox.Outbox;
import dev.autodoc.worker.pipeline.ScopePipeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Publishes step progress through the outbox, with the attempt and this worker, for the job's
 * timeline and its event stream; progress is informational, so a failure is only logged.
 *
 * <p>A scope's events are appended in the order they happen, one transaction at a time: a step's
 * start and end written by two racing transactions could commit, and reach the job's timeline, end
 * first. Events that happen while a transaction is under way wait and go together in the next one,
 * so a scope of quick steps costs a few transactions rather than two per step. (The scope's outcome
 * goes on another topic and may overtake them; the job's timeline closes a step that ends late.)
 */
final class StepProgress implements ScopePipeline.Listener {
  private static final Logger LOG = Logger.getLogger(StepProgress.class);

  private final Pool pool;
  private final Outbox outbox;
  private final ScopeRequested request;
  private final int attempt;
  private final String workerId;
  private final Tracer tracer;
  private final MeterRegistry registry;
  private Span step = Span.getInvalid();
  private Scope current = Scope.noop();

  /** Events not yet handed to a transaction; guarded by this. */
  private final List<Pending> waiting = new ArrayList<>();

  /** Not done while a transaction is under way: the next events wait for it. */
  private CompletableFuture<Void> sent = CompletableFuture.completedFuture(null);

  private record Pending(JobProgress event, Context trace) {}

  StepProgress(
      Pool pool,
      Outbox outbox,
      Tracer tracer,
      MeterRegistry registry,
      ScopeRequested request,
      int attempt,
      String workerId) {
    this.pool = pool;
    this.outbox = outbox;
    this.tracer = tracer;
    this.registry = registry;
    this.request = request;
    this.attempt = attempt;
    this.workerId = workerId;
  }

  @Override
  public void started(String step) {
    // The pipeline calls the listener on the scope's thread, before and after each step: the step's
    // span is current there meanwhile, and carried onto the thread the step runs on.
    this.step = tracer.spanBuilder(step).startSpan();
    this.current = this.step.makeCurrent();
    publish(step, JobProgress.Phase.STARTED, null);
  }

  @Override
  public void finished(String step, long millis) {
    publish(step, JobProgress.Phase.FINISHED, step + " took " + millis + " ms");
    time(step, "SUCCEEDED", millis);
    end(null);
  }

  @Override
  public void failed(String step, long millis, String why) {
    publish(step, JobProgress.Phase.FAILED, step + " failed after " + millis + " ms: " + why);
    time(step, "FAILED", millis);
    end(why);
  }

  private void time(String step, String status, long millis) {
    Timer.builder(MetricNames.STEP_DURATION)
        .tag(MetricNames.TAG_STEP, step)
        .tag(MetricNames.TAG_STATUS, status)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofMinutes(30))
        .register(registry)
        .record(Duration.ofMillis(millis));
  }

  private void end(String failure) {
    if (failure != null) {
      this.step.setStatus(StatusCode.ERROR, failure);
    }
    this.current.close();
    this.step.end();
  }

  private void publish(String step, JobProgress.Phase phase, String message) {
    var event =
        new JobProgress(
            UUID.randomUUID(),
            request.jobId(),
            Instant.now(),
            AutodocEvent.SCHEMA_VERSION,
            request.scopePath(),
            step,
            phase,
            null,
            null,
            message,
            attempt,
            workerId);
    synchronized (this) {
      waiting.add(new Pending(event, Context.current()));
      if (!sent.isDone()) {
        return; // the transaction under way sends this one after it
      }
      sent = new CompletableFuture<>();
    }
    sendWaiting();
  }

  private void sendWaiting() {
    List<Pending> batch;
    synchronized (this) {
      if (waiting.isEmpty()) {
        sent.complete(null);
        return;
      }
      batch = List.copyOf(waiting);
      waiting.clear();
    }
    pool.withTransaction(
            tx -> {
              Uni<Void> all = Uni.createFrom().voidItem();
              for (Pending p : batch) {
                all = all.chain(() -> outbox.append(tx, p.event(), p.trace()));
              }
              return all;
            })
        .subscribe()
        .with(
            ok -> {
              outbox.wake();
              sendWaiting();
            },
            failure -> {
              LOG.debugf("%d progress events lost: %s", batch.size(), failure.getMessage());
              sendWaiting();
            });
  }
}
