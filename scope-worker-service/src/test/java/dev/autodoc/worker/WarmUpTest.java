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

  private static WorkerConfig.WarmUp settings(int rounds) {
    return new WorkerConfig.WarmUp() {
      @Override
      public boolean enabled() {
        return true;
      }

      @Override
      public Duration idle() {
        return Duration.ofMillis(300);
      }

      @Override
      public int rounds() {
        return rounds;
      }
    };
  }

  @Test
  void anIdleWorkerRunsTheWholePipelineOverTheSample() {
    var warmUp = new WarmUp(settings(3), () -> true, MODEL);
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
    var warmUp = new WarmUp(settings(2), () -> !busy.get(), MODEL);
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
    var warmUp =
        new WarmUp(settings(1), () -> scopeEnded.get() || checks.incrementAndGet() <= 3, MODEL);
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
