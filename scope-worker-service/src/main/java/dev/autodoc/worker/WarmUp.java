package dev.autodoc.worker;

import dev.autodoc.support.embedding.Embedder;
import dev.autodoc.worker.docs.embeddings.Chunker;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.docs.pages.QualityLoop;
import dev.autodoc.worker.docs.pages.QualityScorer;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.DocStructure;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.structure.ScopeText;
import dev.autodoc.worker.docs.structure.StructureExtractor;
import dev.autodoc.worker.docs.symbols.JavaSymbolExtractor;
import dev.autodoc.worker.docs.symbols.SourceFile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Warms the worker up while it is idle ({@link WorkerConfig.WarmUp}): the Java parser, the
 * structure, the static page writer with its quality check, and the chunker run over a bundled
 * sample library ({@code warm-up/}), as a scope would run them, on one thread. Nothing is stored,
 * published or cached: the parse and chunk caches of the steps are not touched.
 *
 * <p>It waits for the worker to have had no scope for {@code idle}, and gives way to a scope at the
 * next file or page: the scope warms the same code itself. Until every round has run, it starts
 * again at the next idle spell. Java only: it is what most scopes hold, and the other languages'
 * parsers are native code.
 */
@ApplicationScoped
public class WarmUp {
  private static final Logger LOG = Logger.getLogger(WarmUp.class);
  private static final String SAMPLE_DIR = "warm-up/";
  private static final List<String> SAMPLE =
      List.of("com/example/inventory/Inventory.java", "com/example/inventory/orders/Orders.java");
  private static final long CHECK_MILLIS = 250;

  private final boolean enabled;
  private final Duration quiet;
  private final int planned;
  private final BooleanSupplier idle;
  private final Embedder embedder;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("warm-up").daemon().factory());
  private final JavaSymbolExtractor parser = new JavaSymbolExtractor();
  private final QualityLoop writer =
      new QualityLoop(new StaticPageGenerator(), new QualityScorer());
  private volatile boolean stopping;
  private volatile int rounds;
  private volatile Made lastRound = new Made(0, 0, 0);
  private volatile long quietSince = System.nanoTime();
  private final List<Long> roundMillis = new ArrayList<>();

  @Inject
  WarmUp(WorkerConfig config, Draining draining, Embedder embedder) {
    this(
        config.warmUp().enabled(),
        config.warmUp().idle(),
        config.warmUp().rounds(),
        draining::idle,
        embedder);
  }

  /**
   * @param quiet how long {@code idle} must have held before a round starts
   * @param idle whether the worker has no scope now
   */
  WarmUp(boolean enabled, Duration quiet, int rounds, BooleanSupplier idle, Embedder embedder) {
    this.enabled = enabled;
    this.quiet = quiet;
    this.planned = rounds;
    this.idle = idle;
    this.embedder = embedder;
  }

  void onStart(@Observes StartupEvent event) {
    if (enabled) {
      start();
    }
  }

  void start() {
    quietSince = System.nanoTime();
    thread.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  void stop() {
    stopping = true;
    thread.shutdownNow();
  }

  /** Whether every round has run. */
  boolean done() {
    return rounds >= planned;
  }

  /** Rounds run to their end so far. */
  int rounds() {
    return rounds;
  }

  /** What the last complete round made: symbols read, pages written, chunks cut. */
  record Made(int symbols, int pages, int chunks) {}

  Made lastRound() {
    return lastRound;
  }

  private void check() {
    if (done() || stopping) {
      thread.shutdown();
      return;
    }
    if (!idle.getAsBoolean()) {
      quietSince = System.nanoTime();
      return;
    }
    if (System.nanoTime() - quietSince < quiet.toNanos()) {
      return;
    }
    try {
      Map<String, String> sample = sample();
      while (!done()) {
        long start = System.nanoTime();
        if (!round(sample)) {
          LOG.debugf("warm-up gave way to a scope after %d of %d rounds", rounds, planned);
          quietSince = System.nanoTime();
          return;
        }
        roundMillis.add((System.nanoTime() - start) / 1_000_000);
        rounds++;
      }
      LOG.infof(
          "warmed up: %d rounds over %d sample files, %d ms in all; the first took %d ms, the last %d ms",
          rounds,
          sample.size(),
          roundMillis.stream().mapToLong(Long::longValue).sum(),
          roundMillis.getFirst(),
          roundMillis.getLast());
    } catch (RuntimeException e) {
      // Only time is lost: the first scope warms the code itself.
      LOG.warnf("warm-up stopped: %s", e);
      rounds = planned;
    }
  }

  /** One pass over the sample as a scope makes it; false when a scope arrived meanwhile. */
  private boolean round(Map<String, String> sample) {
    List<SourceFile> sources = new ArrayList<>();
    for (var file : sample.entrySet()) {
      if (!idle.getAsBoolean() || stopping) {
        return false;
      }
      parser.extract(file.getKey(), file.getValue()).ifPresent(sources::add);
    }
    Set<String> files = sample.keySet();
    DocStructure structure = StructureExtractor.extract("warm-up", sources, files, ScopeText.NONE);
    var docs = new DocContext(structure, sources, files, "docs", "A sample library.");
    var chunker = new Chunker(embedder);
    int chunks = 0;
    for (PagePlan plan : structure.pages()) {
      if (!idle.getAsBoolean() || stopping) {
        return false;
      }
      Page page = writer.run(plan, docs, 1.0, 1);
      chunks += chunker.chunk(page.path(), page.title(), page.markdown()).size();
    }
    lastRound =
        new Made(
            sources.stream().mapToInt(f -> f.symbols().size()).sum(),
            structure.pages().size(),
            chunks);
    return true;
  }

  private static Map<String, String> sample() {
    Map<String, String> sample = new LinkedHashMap<>();
    for (String name : SAMPLE) {
      String resource = SAMPLE_DIR + name;
      try (InputStream in = WarmUp.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the warm-up sample " + resource + " is not bundled");
        }
        sample.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sample;
  }
}
