package dev.autodoc.worker.pipeline;

import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.support.logging.JobLogContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Work spread over every core, whichever scopes it comes from: a one-file change leaves one scope
 * to work on, which on its own would keep one core busy. Results come in the order of the input, so
 * nothing depends on which item ends first. The job's log fields go with each item.
 */
final class Cores {
  private static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          Runtime.getRuntime().availableProcessors(),
          Thread.ofPlatform().name("cores-", 0).daemon().factory());

  private Cores() {}

  /**
   * {@code work} applied to every item, in parallel; the first item's failure is thrown as it was
   * thrown (an {@link Error} too), and the items not started yet are cancelled.
   */
  static <T, R> List<R> map(List<T> items, Function<T, R> work) {
    List<Future<R>> running = new ArrayList<>(items.size());
    for (T item : items) {
      running.add(POOL.submit(JobLogContext.carried(() -> work.apply(item))));
    }
    List<R> results = new ArrayList<>(items.size());
    try {
      for (Future<R> next : running) {
        results.add(next.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException(Reason.STEP_TIMEOUT, "the step was interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    } finally {
      running.forEach(f -> f.cancel(true));
    }
    return results;
  }
}
