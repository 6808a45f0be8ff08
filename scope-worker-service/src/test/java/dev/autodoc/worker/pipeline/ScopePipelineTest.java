package dev.autodoc.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.worker.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScopePipelineTest {
  private final List<String> log = new ArrayList<>();

  @Test
  void stepsRunInOrderAndTheListenerHearsEach() {
    var pipeline =
        pipeline(
            List.of(step("one", () -> {}), step("two", () -> {}), step("three", () -> {})),
            policy(Duration.ofSeconds(5), 1));
    pipeline.run(context(), listener());
    assertThat(log)
        .containsExactly(
            "start one",
            "run one",
            "end one",
            "start two",
            "run two",
            "end two",
            "start three",
            "run three",
            "end three");
  }

  @Test
  void aTransientFailureIsRetriedUpToTheStepsAttempts() {
    AtomicInteger tries = new AtomicInteger();
    var flaky =
        step(
            "flaky",
            () -> {
              if (tries.incrementAndGet() < 3) {
                throw new TransientException(Reason.GIT_UNAVAILABLE, "network");
              }
            });
    pipeline(List.of(flaky), policy(Duration.ofSeconds(5), 3)).run(context(), listener());
    assertThat(tries).hasValue(3);
  }

  @Test
  void aTransientFailureThatOutlastsTheAttemptsFailsTheScope() {
    AtomicInteger tries = new AtomicInteger();
    var broken =
        step(
            "broken",
            () -> {
              tries.incrementAndGet();
              throw new TransientException(Reason.GIT_UNAVAILABLE, "network down");
            });
    assertThatThrownBy(
            () ->
                pipeline(List.of(broken, step("after", () -> {})), policy(Duration.ofSeconds(5), 2))
                    .run(context(), listener()))
        .hasMessage("network down");
    assertThat(tries).hasValue(2);
    assertThat(log).doesNotContain("run after");
  }

  @Test
  void aPermanentFailureIsNotRetried() {
    AtomicInteger tries = new AtomicInteger();
    var invalid =
        step(
            "invalid",
            () -> {
              tries.incrementAndGet();
              throw new PermanentException(Reason.LIMIT_EXCEEDED, "too many");
            });
    assertThatThrownBy(
            () ->
                pipeline(List.of(invalid), policy(Duration.ofSeconds(5), 5))
                    .run(context(), listener()))
        .isInstanceOf(PermanentException.class);
    assertThat(tries).hasValue(1);
    // The timeline records the step as failed, with the error it ended with.
    assertThat(log).containsExactly("start invalid", "run invalid", "failed invalid: too many");
  }

  @Test
  void aStepThatOverrunsItsTimeoutIsStoppedAndReported() {
    var slow = step("slow", () -> Thread.sleep(10_000));
    assertThatThrownBy(
            () ->
                pipeline(List.of(slow), policy(Duration.ofMillis(200), 1))
                    .run(context(), listener()))
        .isInstanceOfSatisfying(
            TransientException.class, e -> assertThat(e.reason()).isEqualTo(Reason.STEP_TIMEOUT))
        .hasMessageContaining("step 'slow' took longer than PT0.2S");
  }

  @Test
  void anUnexpectedExceptionBecomesAPermanentInternalErrorNamingTheStep() {
    var buggy =
        step(
            "buggy",
            () -> {
              throw new IllegalArgumentException("bug");
            });
    assertThatThrownBy(
            () ->
                pipeline(List.of(buggy), policy(Duration.ofSeconds(5), 3))
                    .run(context(), listener()))
        .isInstanceOfSatisfying(
            PermanentException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INTERNAL))
        .hasMessageContaining("step 'buggy' failed");
  }

  interface Body {
    void run() throws Exception;
  }

  private PipelineStep step(String name, Body body) {
    return new PipelineStep() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void run(ScopeContext context) throws Exception {
        log.add("run " + name);
        body.run();
      }
    };
  }

  private ScopePipeline.Listener listener() {
    return new ScopePipeline.Listener() {
      @Override
      public void started(String step) {
        log.add("start " + step);
      }

      @Override
      public void finished(String step, long millis) {
        log.add("end " + step);
      }

      @Override
      public void failed(String step, long millis, String why) {
        log.add("failed " + step + ": " + why);
      }
    };
  }

  private static ScopePipeline pipeline(List<PipelineStep> steps, WorkerConfig.StepPolicy policy) {
    return new ScopePipeline(steps, name -> policy, Optional.empty());
  }

  /** A named record: an anonymous class would inherit the interface's validation binding. */
  private record Policy(Duration timeout, int attempts, Duration backoff)
      implements WorkerConfig.StepPolicy {}

  private static WorkerConfig.StepPolicy policy(Duration timeout, int attempts) {
    return new Policy(timeout, attempts, Duration.ofMillis(10));
  }

  private static ScopeContext context() {
    var request =
        new ScopeRequested(
            UUID.randomUUID(),
            UUID.randomUUID(),
            Instant.now(),
            1,
            "r",
            "file:///tmp/r",
            "0123456789abcdef0123456789abcdef01234567",
            "",
            ScopeConfig.defaults("r"),
            List.of(),
            1);
    return new ScopeContext(request, 1, Path.of("/tmp/unused"), () -> false);
  }
}
