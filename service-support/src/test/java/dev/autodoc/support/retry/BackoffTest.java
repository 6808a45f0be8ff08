package dev.autodoc.support.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesFromTheInitialWaitUpToTheMaximum() {
    var backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(8));
    assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.after(4)).isEqualTo(Duration.ofSeconds(8));
    // No overflow however many failures.
    assertThat(backoff.after(500)).isEqualTo(Duration.ofSeconds(8));
  }
}
