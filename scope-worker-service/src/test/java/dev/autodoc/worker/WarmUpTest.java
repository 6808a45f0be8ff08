package dev.autodoc.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.autodoc.support.embedding.LocalEmbedder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The worker's warm-up on its bundled sample: when it runs, what it runs, and when it gives way.
 */
class WarmUpTest {
  private static final LocalEmbedder MODEL = LocalEmbedder.shared();

  /** A warm-up of {@code rounds} once idle for 300 ms. */
  private static WarmUp warmUp(int rounds, java.util.function.BooleanSupplier idle) {
    return new WarmUp(true, Duration.ofMillis(300), rounds, idle, MODEL);
  }

  @Test
  void anIdleWorkerRunsTheWholePipelineOverTheSample() {
    var warmUp = warmUp(3, () -> true);
    warmUp.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(warmUp::done);
      // Both sample files parsed, pages written from their declarations, and every page cut.
      WarmUp.Made made = warmUp.lastRound();
      assertThat(made.symbols()).isGreaterThan(40);
      assertThat(made.pages()).isGreaterThanOrEqualTo(3);
      assertThat(made.chunks()).isGreaterThanOrEqualTo(made.pages());
      assertThat(warmUp.rounds()).isEqualTo(3);
    } finally {
      warmUp.stop();
    }
  }

  @Test
  void aBusyWorkerDoesNotWarmUpUntilItHasBeenIdleForAWhile() throws Exception {
    var busy = new AtomicBoolean(true);
    var warmUp = warmUp(2, () -> !busy.get());
    warmUp.start();
    try {
      Thread.sleep(1_000);
      assertThat(warmUp.rounds()).as("rounds while a scope runs").isZero();
      busy.set(false);
      await().atMost(Duration.ofSeconds(60)).until(warmUp::done);
    } finally {
      warmUp.stop();
    }
  }

  @Test
  void aScopeThatArrivesMidRoundStopsItAndItGoesOnAtTheNextIdleSpell() {
    // Idle for the start of a round and its first file, then a scope arrives; it ends later.
    var checks = new AtomicInteger();
    var scopeEnded = new AtomicBoolean();
    var warmUp = warmUp(1, () -> scopeEnded.get() || checks.incrementAndGet() <= 3);
    warmUp.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> checks.get() > 6);
      assertThat(warmUp.rounds()).as("a round cut short is not counted").isZero();
      assertThat(warmUp.lastRound().pages()).isZero();
      scopeEnded.set(true);
      await().atMost(Duration.ofSeconds(60)).until(warmUp::done);
      assertThat(warmUp.lastRound().pages()).isPositive();
    } finally {
      warmUp.stop();
    }
  }
}
