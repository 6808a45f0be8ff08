package dev.autodoc.support.retry;

import java.time.Duration;

/** Exponential backoff for retries kept in the database, where Mutiny's own retry cannot reach. */
public record Backoff(Duration initial, Duration max) {

  /** The wait after the {@code failures}th failure: {@code initial}, doubling each time, capped. */
  public Duration after(int failures) {
    Duration wait = initial.multipliedBy(1L << Math.clamp(failures - 1, 0, 20));
    return wait.compareTo(max) > 0 ? max : wait;
  }
}
