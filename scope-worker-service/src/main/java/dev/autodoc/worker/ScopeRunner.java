package dev.autodoc.worker;

import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.QualitySummary;
import dev.autodoc.common.event.ScopeCompleted;
import dev.autodoc.common.event.ScopeFailed;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.event.WorkerIds;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.logging.JobLogContext;
import dev.autodoc.support.outbox.Outbox;
import dev.autodoc.support.tracing.Traces;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.persistence.ScopeRunRepository;
import dev.autodoc.worker.pipeline.ScopeContext;
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
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs one requested scope: claims it, runs the pipeline while writing a heartbeat, and records the
 * outcome together with its event.
 *
 * <p>Claims make redelivery harmless. A scope that has ended is not run again. A scope another
 * worker holds with a fresh heartbeat is waited on until that worker ends it or its lease runs out.
 * A scope whose holder stopped heartbeating (it crashed) is taken over with the next attempt, up to
 * {@code max-run-attempts}. Every write of a run is conditional on holding the current attempt, so
 * a worker that lost its claim cannot overwrite the newer attempt's result.
 */
@ApplicationScoped
public class ScopeRunner {
  private static final Logger LOG = Logger.getLogger(ScopeRunner.class);

  private final ScopeRunRepository runs;
  private final Pool pool;
  private final Outbox outbox;
  private final ScopePipeline pipeline;
  private final WorkerConfig config;
  private final MeterRegistry registry;
  private final dev.autodoc.support.embedding.Embedder embedder;
  private final dev.autodoc.worker.persistence.VectorStore vectors;
  private final dev.autodoc.worker.persistence.SymbolStore symbols;
  private final Workspaces workspaces;
  private final Draining draining;
  private final ScopeClaims claims;
  private final Tracer tracer;
  private final String workerId;
  // Plain threads, not the Vert.x worker pool: a thread that carries the consumer's Vert.x context
  // would share its trace context storage with the event loop, where other work (the outbox relay)
  // makes its own spans current meanwhile. The claims bound how many run at once.
  private final ExecutorService scopeThreads =
      Executors.newCachedThreadPool(Thread.ofPlatform().name("scope-run-", 0).daemon().factory());
  private final ScheduledExecutorService heartbeats =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("scope-heartbeat").daemon().factory());

  ScopeRunner(
      ScopeRunRepository runs,
      Outbox outbox,
      ScopePipeline pipeline,
      WorkerConfig config,
      MeterRegistry registry,
      dev.autodoc.support.embedding.Embedder embedder,
      dev.autodoc.worker.persistence.VectorStore vectors,
      dev.autodoc.worker.persistence.SymbolStore symbols,
      Workspaces workspaces,
      Draining draining,
      ScopeClaims claims,
      Tracer tracer) {
    this.runs = runs;
    this.tracer = tracer;
    this.draining = draining;
    this.claims = claims;
    this.workspaces = workspaces;
    this.embedder = embedder;
    this.vectors = vectors;
    this.symbols = symbols;
    this.pool = runs.pool();
    this.outbox = outbox;
    this.pipeline = pipeline;
    this.config = config;
    this.registry = registry;
    // Registered at zero, so dashboards and alerts see the series before the first failure.
    registry.counter(MetricNames.SCOPE_TAKEOVERS);
    this.workerId = config.id().orElseGet(ScopeRunner::defaultId);
    registry.gauge(MetricNames.SCOPES_IN_FLIGHT, draining, Draining::running);
    LOG.infof(
        "scope worker %s ready: %d scopes in flight, steps %s",
        workerId, config.scopesInFlight(), pipeline.stepNames());
  }

  public String workerId() {
    return workerId;
  }

  public Uni<Void> handle(ScopeRequested request) {
    LOG.debugf("scope %s:%s received", request.jobId(), request.scopePath());
    return draining.accept(ticket -> handleAccepted(request, ticket));
  }

  private Uni<Void> handleAccepted(ScopeRequested request, Draining.Ticket ticket) {
    return runs.jobEnded(request.jobId())
        .chain(
            ended -> {
              if (ended) {
                LOG.debugf(
                    "job %s has ended; not running scope '%s'",
                    request.jobId(), request.scopePath());
                return Uni.createFrom().voidItem();
              }
              return claimOrWait(request, ticket)
                  .chain(
                      claim ->
                          switch (claim) {
                            case ScopeClaims.Claim.Claimed claimed ->
                                run(request, claimed.attempt());
                            case ScopeClaims.Claim.Done done -> Uni.createFrom().voidItem();
                            case ScopeClaims.Claim.Held held ->
                                Uni.createFrom().failure(new IllegalStateException("unreachable"));
                          });
            });
  }

  /** Claims the scope, waiting while another live worker holds it. */
  private Uni<ScopeClaims.Claim> claimOrWait(ScopeRequested request, Draining.Ticket ticket) {
    return claims
        .claim(request, workerId)
        .chain(
            claim -> {
              if (claim instanceof ScopeClaims.Claim.Held held) {
                draining.pause(ticket);
                Duration wait = Duration.between(Instant.now(), held.leaseEnds()).plusMillis(100);
                LOG.debugf(
                    "scope %s:%s is held by a live worker; checking again in %s",
                    request.jobId(), request.scopePath(), wait);
                return Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .by(wait.isNegative() ? Duration.ofMillis(100) : wait)
                    .chain(
                        () ->
                            draining.resume(ticket)
                                ? claimOrWait(request, ticket)
                                : draining.handBack(ticket));
              }
              return Uni.createFrom().item(claim);
            });
  }

  private Uni<Void> run(ScopeRequested request, int attempt) {
    // A child of the ScopeRequested being consumed, current on the consumer's context here; the
    // pipeline runs on a worker thread, so the span is handed over explicitly.
    Span span =
        tracer
            .spanBuilder("scope")
            .setAttribute(Traces.JOB_ID, request.jobId().toString())
            .setAttribute(Traces.SCOPE, display(request.scopePath()))
            .setAttribute("autodoc.attempt", attempt)
            .startSpan();
    Context trace = Context.current().with(span);
    return Uni.createFrom()
        .item(
            () -> {
              // A worker thread of its own: its log lines carry the scope, this attempt and the
              // trace.
              try (Scope ignored = trace.makeCurrent()) {
                JobLogContext.enter(request.jobId(), request.scopePath(), attempt);
                return execute(request, attempt);
              } finally {
                JobLogContext.leave();
              }
            })
        .runSubscriptionOn(scopeThreads)
        .invoke(
            outcome -> {
              if (outcome.error() != null) {
                span.setStatus(StatusCode.ERROR, outcome.error().message());
              }
            })
        .chain(outcome -> finish(request, attempt, outcome, trace))
        .onTermination()
        .invoke((ok, failure, cancelled) -> Traces.end(span, failure));
  }

  /** The result of the pipeline: completed with its context, or failed with its error. */
  private record Outcome(ScopeContext context, ErrorReport error, long millis, boolean lost) {}

  /** Blocking: runs the pipeline with a heartbeat. */
  private Outcome execute(ScopeRequested request, int attempt) {
    long start = System.nanoTime();
    AtomicBoolean lost = new AtomicBoolean();
    Path workspace = workspaces.reserve(workerId, request.jobId(), request.scopePath(), attempt);
    var claim = new Draining.Run(request.jobId(), request.scopePath(), attempt);
    draining.started(claim);
    ScheduledFuture<?> heartbeat =
        heartbeats.scheduleAtFixedRate(
            () -> {
              if (draining.handedBack()) {
                return;
              }
              try {
                if (!runs.heartbeat(request.jobId(), request.scopePath(), attempt, workerId)
                    .await()
                    .atMost(Duration.ofSeconds(10))) {
                  lost.set(true);
                }
              } catch (RuntimeException e) {
                LOG.warnf(
                    "heartbeat of %s:%s failed: %s",
                    request.jobId(), request.scopePath(), e.getMessage());
              }
            },
            config.heartbeatInterval().toMillis(),
            config.heartbeatInterval().toMillis(),
            TimeUnit.MILLISECONDS);
    var context = new ScopeContext(request, attempt, workspace, lost::get);
    try {
      Files.createDirectories(workspace);
      if (request.baseline() != null) {
        runs.previous(
                request.baseline().jobId(),
                request.scopePath(),
                request.config().output().pagesPrefix())
            .await()
            .atMost(Duration.ofSeconds(30))
            .ifPresentOrElse(
                context::previous,
                () ->
                    LOG.infof(
                        "scope %s:%s: the run it builds on (job %s) is not stored; documenting in full",
                        request.jobId(), request.scopePath(), request.baseline().jobId()));
      }
      pipeline.run(
          context, new StepProgress(pool, outbox, tracer, registry, request, attempt, workerId));
      return new Outcome(context, null, (System.nanoTime() - start) / 1_000_000, lost.get());
    } catch (AutodocException e) {
      return new Outcome(context, e.report(), (System.nanoTime() - start) / 1_000_000, lost.get());
    } catch (IOException | RuntimeException e) {
      LOG.errorf(e, "scope %s:%s failed unexpectedly", request.jobId(), request.scopePath());
      return new Outcome(
          context,
          ErrorReport.of(Reason.INTERNAL, e.toString()),
          (System.nanoTime() - start) / 1_000_000,
          lost.get());
    } finally {
      heartbeat.cancel(false);
      draining.ended(claim);
      context.close();
      workspaces.release(workspace);
    }
  }

  private Uni<Void> finish(ScopeRequested request, int attempt, Outcome outcome, Context trace) {
    if (outcome.lost()) {
      LOG.infof(
          "scope %s:%s attempt %d lost its claim; its result is dropped",
          request.jobId(), request.scopePath(), attempt);
      return Uni.createFrom().voidItem();
    }
    UUID jobId = request.jobId();
    String path = request.scopePath();
    boolean ok = outcome.error() == null;
    Timer.builder(MetricNames.SCOPE_DURATION)
        .tag(MetricNames.TAG_STATUS, ok ? "SUCCEEDED" : "FAILED")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(100))
        .maximumExpectedValue(Duration.ofHours(1))
        .register(registry)
        .record(Duration.ofMillis(outcome.millis()));
    var inventory = ok ? outcome.context().inventory() : null;
    AutodocEvent event =
        ok
            ? new ScopeCompleted(
                UUID.randomUUID(),
                jobId,
                Instant.now(),
                AutodocEvent.SCHEMA_VERSION,
                path,
                attempt,
                workerId,
                inventory,
                quality(outcome.context()),
                outcome.context().tokens(),
                outcome.millis())
            : new ScopeFailed(
                UUID.randomUUID(),
                jobId,
                Instant.now(),
                AutodocEvent.SCHEMA_VERSION,
                path,
                attempt,
                workerId,
                outcome.error(),
                outcome.millis());
    var symbolRows =
        ok
            ? dev.autodoc.worker.persistence.SymbolStore.rows(request, outcome.context())
            : java.util.List.<dev.autodoc.worker.persistence.SymbolStore.Row>of();
    long storing = System.nanoTime();
    return pool.withTransaction(
            tx ->
                runs.finish(
                        tx,
                        jobId,
                        path,
                        attempt,
                        workerId,
                        ok ? "SUCCEEDED" : "FAILED",
                        inventory,
                        outcome.error(),
                        outcome.millis(),
                        ok && outcome.context().docs() != null
                            ? outcome.context().docs().structure()
                            : null)
                    .chain(
                        held -> {
                          if (!held) {
                            LOG.infof(
                                "scope %s:%s attempt %d was taken over; its result is dropped",
                                jobId, path, attempt);
                            return Uni.createFrom().voidItem();
                          }
                          Uni<Void> files =
                              ok
                                  ? runs.storeFiles(tx, jobId, path, outcome.context().files())
                                      .chain(() -> runs.storePages(tx, request, outcome.context()))
                                      .chain(
                                          () ->
                                              runs.storeChunks(
                                                  tx, request, outcome.context(), embedder))
                                      .chain(() -> symbols.store(tx, request, symbolRows))
                                      .chain(
                                          () ->
                                              vectors.queueMissing(
                                                  tx, embedder, outcome.context().chunks()))
                                  : Uni.createFrom().voidItem();
                          return files.chain(() -> outbox.append(tx, event, trace));
                        }))
        .invoke(
            () -> {
              LOG.debugf(
                  "scope %s:%s: outcome stored in %d ms",
                  jobId, path, (System.nanoTime() - storing) / 1_000_000);
              outbox.wake();
            });
  }

  /** The quality of a run's pages, as its ScopeCompleted reports it. */
  static QualitySummary quality(ScopeContext context) {
    var pages = context.pages();
    double threshold = context.request().config().agent().qualityThreshold();
    return new QualitySummary(
        pages.size(),
        pages.stream().mapToDouble(Page::score).average().orElse(0),
        pages.stream().mapToDouble(Page::score).min().orElse(0),
        (int) pages.stream().filter(p -> p.score() < threshold).count(),
        pages.stream().mapToInt(Page::attempts).sum());
  }

  static String display(String scopePath) {
    return scopePath.isEmpty() ? "." : scopePath;
  }

  private static String defaultId() {
    return WorkerIds.of(
        System.getenv().getOrDefault("HOSTNAME", "worker"),
        ManagementFactory.getRuntimeMXBean().getPid());
  }
}
