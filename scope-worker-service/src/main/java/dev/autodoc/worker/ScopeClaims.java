package dev.autodoc.worker;

import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.ScopeFailed;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.outbox.Outbox;
import dev.autodoc.worker.persistence.ScopeRunRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The claim rules of a scope's run: who runs it, which attempt, and when a silent worker's scope is
 * taken over. {@link ScopeRunner} runs what it claims.
 */
@ApplicationScoped
class ScopeClaims {
  private static final Logger LOG = Logger.getLogger(ScopeClaims.class);

  private final ScopeRunRepository runs;
  private final Pool pool;
  private final Outbox outbox;
  private final WorkerConfig config;
  private final MeterRegistry registry;

  ScopeClaims(ScopeRunRepository runs, Outbox outbox, WorkerConfig config, MeterRegistry registry) {
    this.runs = runs;
    this.pool = runs.pool();
    this.outbox = outbox;
    this.config = config;
    this.registry = registry;
  }

  /** What a claim attempt found. */
  sealed interface Claim {
    record Claimed(int attempt) implements Claim {}

    record Done() implements Claim {}

    record Held(Instant leaseEnds) implements Claim {}
  }

  /**
   * Claims {@code request}'s scope for {@code workerId}, in one transaction: a first run, a
   * take-over from a worker whose heartbeat stopped (failing the scope once it has used up its
   * attempts), or nothing to do (done, or held by a live worker).
   */
  Uni<Claim> claim(ScopeRequested request, String workerId) {
    UUID jobId = request.jobId();
    String path = request.scopePath();
    return pool.withTransaction(
            tx ->
                runs.lock(tx, jobId, path, config.lease())
                    .chain(
                        found -> {
                          if (found.isEmpty()) {
                            return runs.insert(
                                    tx,
                                    jobId,
                                    path,
                                    request.attempt(),
                                    workerId,
                                    request.commitSha())
                                .map(
                                    inserted ->
                                        inserted
                                            ? (Claim) new Claim.Claimed(request.attempt())
                                            : new Claim.Held(Instant.now()));
                          }
                          ScopeRunRepository.Run run = found.get();
                          if (!run.status().equals("RUNNING")) {
                            return Uni.createFrom().item((Claim) new Claim.Done());
                          }
                          if (!run.stale()) {
                            return Uni.createFrom().item((Claim) new Claim.Held(run.leaseEnds()));
                          }
                          int next = Math.max(run.attempt() + 1, request.attempt());
                          if (next > config.maxRunAttempts()) {
                            var error =
                                ErrorReport.of(
                                    Reason.ATTEMPTS_EXHAUSTED,
                                    "scope '"
                                        + ScopeRunner.display(path)
                                        + "' was started "
                                        + run.attempt()
                                        + " times and its worker stopped each time (limit: autodoc.worker.max-run-attempts = "
                                        + config.maxRunAttempts()
                                        + ")");
                            return runs.fail(tx, jobId, path, error)
                                .chain(
                                    () ->
                                        outbox.append(
                                            tx,
                                            new ScopeFailed(
                                                UUID.randomUUID(),
                                                jobId,
                                                Instant.now(),
                                                AutodocEvent.SCHEMA_VERSION,
                                                path,
                                                run.attempt(),
                                                workerId,
                                                error,
                                                0)))
                                .replaceWith((Claim) new Claim.Done());
                          }
                          LOG.infof(
                              "taking over scope %s:%s from %s (its heartbeat stopped): attempt %d",
                              jobId, ScopeRunner.display(path), run.workerId(), next);
                          registry.counter(MetricNames.SCOPE_TAKEOVERS).increment();
                          return runs.takeOver(tx, jobId, path, next, workerId)
                              .replaceWith((Claim) new Claim.Claimed(next));
                        }))
        .invoke(claim -> outbox.wake());
  }
}
