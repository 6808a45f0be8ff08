package dev.autodoc.worker.pipeline;

import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.support.logging.JobLogContext;
import dev.autodoc.worker.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs the steps of a scope in order, each under its own policy: a timeout per try, transient
 * failures retried with doubling backoff up to the step's attempts, permanent failures at once.
 */
@ApplicationScoped
public class ScopePipeline {
  private final List<PipelineStep> steps;
  private final Function<String, WorkerConfig.StepPolicy> policies;
  private final Optional<Duration> stepDelay;
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(
          Thread.ofPlatform().name("scope-step-", 0).daemon().factory());

  /** Told when each step starts and ends, for progress events and the job's step timeline. */
  public interface Listener {
    void started(String step);

    void finished(String step, long millis);

    /** The step could not complete; {@code why} is what the scope's error will say. */
    void failed(String step, long millis, String why);
  }

  @Inject
  ScopePipeline(
      FetchStep fetch,
      ScanStep scan,
      CheckoutStep checkout,
      ExtractStep extract,
      GenerateStep generate,
      EmbedStep embed,
      WorkerConfig config) {
    this(
        List.of(fetch, scan, checkout, extract, generate, embed),
        name -> config.steps().get(name),
        config.faultInjectionStepDelay());
  }

  /** A pipeline of other steps, for tests. */
  public ScopePipeline(
      List<PipelineStep> steps,
      Function<String, WorkerConfig.StepPolicy> policies,
      Optional<Duration> stepDelay) {
    this.steps = List.copyOf(steps);
    this.policies = policies;
    this.stepDelay = stepDelay;
  }

  public List<String> stepNames() {
    return steps.stream().map(PipelineStep::name).toList();
  }

  /** Runs every step; throws the failure of the step that could not complete. */
  public void run(ScopeContext context, Listener listener) {
    for (PipelineStep step : steps) {
      if (context.cancelled()) {
        return;
      }
      long start = System.nanoTime();
      listener.started(step.name());
      try {
        runWithPolicy(step, context);
      } catch (RuntimeException e) {
        listener.failed(step.name(), (System.nanoTime() - start) / 1_000_000, e.getMessage());
        throw e;
      }
      listener.finished(step.name(), (System.nanoTime() - start) / 1_000_000);
    }
  }

  private void runWithPolicy(PipelineStep step, ScopeContext context) {
    WorkerConfig.StepPolicy policy = policies.apply(step.name());
    Duration backoff = policy.backoff();
    for (int attempt = 1; ; attempt++) {
      try {
        runOnce(step, context, policy.timeout());
        return;
      } catch (AutodocException e) {
        if (!e.retryable() || attempt >= policy.attempts() || context.cancelled()) {
          throw e;
        }
      }
      sleep(backoff);
      backoff = backoff.multipliedBy(2);
    }
  }

  private void runOnce(PipelineStep step, ScopeContext context, Duration timeout) {
    Future<?> future =
        executor.submit(
            JobLogContext.carried(
                () -> {
                  stepDelay.ifPresent(ScopePipeline::sleep);
                  step.run(context);
                  return null;
                }));
    try {
      future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new TransientException(
          Reason.STEP_TIMEOUT, "step '" + step.name() + "' took longer than " + timeout, e);
    } catch (ExecutionException e) {
      throw classify(step, e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new TransientException(
          Reason.STEP_TIMEOUT, "step '" + step.name() + "' was interrupted", e);
    }
  }

  private static AutodocException classify(PipelineStep step, Throwable failure) {
    return switch (failure) {
      case AutodocException e -> e;
      case IOException e ->
          new TransientException(
              Reason.STORAGE_UNAVAILABLE, "step '" + step.name() + "': " + e.getMessage(), e);
      default ->
          new PermanentException(
              Reason.INTERNAL, "step '" + step.name() + "' failed: " + failure, failure);
    };
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException(Reason.STEP_TIMEOUT, "interrupted", e);
    }
  }
}
