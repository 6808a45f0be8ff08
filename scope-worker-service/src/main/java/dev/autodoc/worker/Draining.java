package dev.autodoc.worker;

import dev.autodoc.worker.persistence.ScopeRunRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What a stopping worker does with its scopes (SIGTERM: the autoscaler scaling in, a rollout).
 *
 * <p>It takes no new scope: a request that arrives from then on is never acknowledged, so its
 * record goes to another worker once this one has left the consumer group. The scopes it has taken
 * it finishes, for up to {@code autodoc.worker.drain-timeout}, which the pod's termination grace
 * period covers. A scope still running then is handed back: its claim is made stale, so the next
 * worker takes it over at once instead of waiting out the lease.
 *
 * <p>The wait runs in a shutdown observer ahead of the outbox relay's and before the Kafka
 * connector closes (it closes when the application scope is destroyed): the finished scopes' events
 * are published and their records acknowledged by the consumers that delivered them.
 */
@ApplicationScoped
public class Draining {
  private static final Logger LOG = Logger.getLogger(Draining.class);

  /** A claim this worker runs. */
  record Run(UUID jobId, String scopePath, int attempt) {}

  private final ScopeRunRepository runs;
  private final Duration timeout;
  private final Set<Ticket> accepted = ConcurrentHashMap.newKeySet();
  private final Set<Run> running = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;
  private volatile boolean handedBack;

  Draining(ScopeRunRepository runs, WorkerConfig config) {
    this.runs = runs;
    this.timeout = config.drainTimeout();
  }

  /** Whether claims left running have been handed back: their heartbeats must stop. */
  boolean handedBack() {
    return handedBack;
  }

  /** One request the worker took: a stop waits for it until it ends or is handed back. */
  static final class Ticket {}

  /**
   * {@code work} as the worker does it: counted until it ends, so a stop waits for it; while the
   * worker stops, nothing, so that the record goes back unacknowledged.
   */
  <T> Uni<T> accept(java.util.function.Function<Ticket, Uni<? extends T>> work) {
    if (draining) {
      return Uni.createFrom().nothing();
    }
    Ticket ticket = new Ticket();
    accepted.add(ticket);
    return Uni.createFrom()
        .<T>deferred(() -> work.apply(ticket))
        .onTermination()
        .invoke(() -> accepted.remove(ticket));
  }

  /**
   * Leaves a request the worker took but has not started for another worker: it never completes,
   * and a stop no longer waits for it.
   */
  <T> Uni<T> handBack(Ticket ticket) {
    accepted.remove(ticket);
    return Uni.createFrom().nothing();
  }

  /**
   * A request that waits (on another worker's claim) does no work meanwhile: a stop does not wait
   * for it.
   */
  void pause(Ticket ticket) {
    accepted.remove(ticket);
  }

  /** Whether a paused request may go on; false once the worker stops, which hands it back. */
  boolean resume(Ticket ticket) {
    accepted.add(ticket);
    if (draining) {
      accepted.remove(ticket);
      return false;
    }
    return true;
  }

  /** Whether the worker has no scope: none taken, none running, and it is not stopping. */
  boolean idle() {
    return !draining && accepted.isEmpty() && running.isEmpty();
  }

  /** The scopes this worker runs now (the in-flight gauge). */
  int running() {
    return running.size();
  }

  void started(Run run) {
    running.add(run);
  }

  void ended(Run run) {
    running.remove(run);
  }

  void onStop(@Observes @Priority(100) ShutdownEvent event, ScopeRunner runner) {
    draining = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!accepted.isEmpty()) {
      LOG.infof(
          "worker %s stopping: finishing %d scopes (at most %s)",
          runner.workerId(), accepted.size(), timeout);
    }
    while (!accepted.isEmpty() && System.nanoTime() < deadline) {
      sleep(100);
    }
    if (running.isEmpty()) {
      return;
    }
    handedBack = true;
    for (Run run : running) {
      try {
        boolean released =
            runs.release(run.jobId(), run.scopePath(), run.attempt(), runner.workerId())
                .await()
                .atMost(Duration.ofSeconds(5));
        LOG.infof(
            "worker %s stopping: scope %s:%s attempt %d %s",
            runner.workerId(),
            run.jobId(),
            run.scopePath(),
            run.attempt(),
            released ? "handed back to the next worker" : "was no longer held");
      } catch (RuntimeException e) {
        LOG.warnf(
            "scope %s:%s could not be handed back (%s); it is taken over when its lease ends",
            run.jobId(), run.scopePath(), e.getMessage());
      }
    }
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
