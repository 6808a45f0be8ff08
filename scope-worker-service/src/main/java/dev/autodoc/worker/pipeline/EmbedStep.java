package dev.autodoc.worker.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.support.embedding.Embedder;
import dev.autodoc.worker.WorkerConfig;
import dev.autodoc.worker.docs.AgentSession;
import dev.autodoc.worker.docs.ReadmeDistiller;
import dev.autodoc.worker.docs.SessionRecorder;
import dev.autodoc.worker.docs.embeddings.Chunk;
import dev.autodoc.worker.docs.embeddings.Chunker;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.persistence.VectorStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Chunks and embeds every page while, in parallel, the scope README is distilled (an agent session
 * of its own). Each chunk stays inside the model's window. A page an incremental run kept brings
 * its chunks along; the model runs only for texts whose vector is not stored yet ({@link
 * VectorStore}), whichever page or run they came from.
 */
@ApplicationScoped
public class EmbedStep implements PipelineStep {
  private static final Logger LOG = Logger.getLogger(EmbedStep.class);

  private final SessionRecorder sessions;
  private final Embedder embedder;
  private final VectorStore vectors;
  private final WorkerConfig.Index.Mode mode;

  /**
   * Chunks already cut, by page (path, title, the digest of its Markdown) and tokenizer: a page
   * written again the same, as a forced run writes every page, is not tokenized again. Bounded by
   * the Markdown they were cut from (32 MiB).
   */
  private final Cache<ChunkKey, List<Chunk>> cut =
      Caffeine.newBuilder()
          .maximumWeight(32L << 20)
          .<ChunkKey, List<Chunk>>weigher((key, chunks) -> Math.max(1, key.length()))
          .build();

  private record ChunkKey(
      String model, String version, String path, String title, String digest, int length) {}

  @jakarta.inject.Inject
  EmbedStep(SessionRecorder sessions, Embedder embedder, VectorStore vectors, WorkerConfig config) {
    this.sessions = sessions;
    this.embedder = embedder;
    this.vectors = vectors;
    this.mode = config.index().mode();
  }

  @Override
  public String name() {
    return "embed";
  }

  @Override
  public void run(ScopeContext context) {
    ScopeConfig config = context.request().config();
    var readme = CompletableFuture.supplyAsync(() -> distill(context, config));
    List<Chunk> chunks = embed(context);
    try {
      context.distilled(readme.join(), chunks);
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private String distill(ScopeContext context, ScopeConfig config) {
    Map<String, Object> input =
        Map.of(
            "readme",
            config.output().readme(),
            "modules",
            context.docs().structure().pages().size() - 1);
    String readme = ReadmeDistiller.distill(config, context.docs());
    sessions.recordAll(
        List.of(
            new SessionRecorder.Finished(
                context.request().jobId(),
                context.request().scopePath(),
                config.output().readme(),
                "COMPLETED",
                new AgentSession(GenerateStep.STATIC, input, List.of(), readme, 0, 0))));
    return readme;
  }

  private List<Chunk> cutOnce(Chunker chunker, Page page) {
    String markdown = page.markdown();
    var key =
        new ChunkKey(
            embedder.model(),
            embedder.version(),
            page.path(),
            page.title(),
            HexFormat.of().formatHex(Chunk.digest(markdown)),
            markdown.length());
    return cut.get(key, k -> List.copyOf(chunker.chunk(page.path(), page.title(), markdown)));
  }

  private List<Chunk> embed(ScopeContext context) {
    var chunker = new Chunker(embedder);
    String dir = context.request().config().output().pagesPrefix();
    // Pages are cut on every core (Cores); a page kept unchanged keeps its chunks, unless another
    // model cut them.
    List<Chunk> chunks = new ArrayList<>();
    for (List<Chunk> cut :
        Cores.map(
            context.pages(),
            page ->
                context
                    .kept(dir + page.path())
                    .flatMap(k -> context.previous().flatMap(p -> p.chunks(k.path(), embedder)))
                    .orElseGet(() -> cutOnce(chunker, page)))) {
      chunks.addAll(cut);
    }
    if (mode == WorkerConfig.Index.Mode.BACKGROUND) {
      // Queued with the scope's result (VectorStore#queueMissing); the indexer makes them.
      return chunks;
    }
    try {
      var outcome = vectors.ensure(embedder, chunks, context::cancelled);
      LOG.infof(
          "scope %s:%s: %d chunks, %d texts embedded, %d found embedded already",
          context.request().jobId(),
          context.request().scopePath(),
          chunks.size(),
          outcome.embedded(),
          outcome.reused());
    } catch (RuntimeException e) {
      throw new TransientException(
          Reason.STORAGE_UNAVAILABLE, "embedding failed: " + e.getMessage(), e);
    }
    return chunks;
  }
}
