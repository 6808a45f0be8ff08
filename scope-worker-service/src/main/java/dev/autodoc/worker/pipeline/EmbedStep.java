package dev.autodoc.worker.pipeline;

import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.support.embedding.Embedder;
import dev.autodoc.worker.docs.AgentSession;
import dev.autodoc.worker.docs.ReadmeDistiller;
import dev.autodoc.worker.docs.SessionRecorder;
import dev.autodoc.worker.docs.embeddings.Chunk;
import dev.autodoc.worker.docs.embeddings.Chunker;
import dev.autodoc.worker.docs.embeddings.EmbeddedChunk;
import dev.autodoc.worker.docs.pages.Page;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Chunks and embeds every page while, in parallel, the scope README is distilled (an agent session
 * of its own). Chunks are embedded in batches; each stays inside the model's window. A page an
 * incremental run kept brings its chunks along, so only written pages are embedded.
 */
@ApplicationScoped
public class EmbedStep implements PipelineStep {
  static final int BATCH = 32;

  private final SessionRecorder sessions;
  private final Embedder embedder;

  @jakarta.inject.Inject
  EmbedStep(SessionRecorder sessions, Embedder embedder) {
    this.sessions = sessions;
    this.embedder = embedder;
  }

  @Override
  public String name() {
    return "embed";
  }

  @Override
  public void run(ScopeContext context) {
    ScopeConfig config = context.request().config();
    var readme = CompletableFuture.supplyAsync(() -> distill(context, config));
    List<EmbeddedChunk> chunks = embed(context);
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
    UUID session =
        sessions.open(
            context.request().jobId(),
            context.request().scopePath(),
            config.output().readme(),
            GenerateStep.STATIC,
            input);
    String readme = ReadmeDistiller.distill(config, context.docs());
    sessions.close(
        session,
        "COMPLETED",
        new AgentSession(GenerateStep.STATIC, input, List.of(), readme, 0, 0));
    return readme;
  }

  private List<EmbeddedChunk> embed(ScopeContext context) {
    var chunker = new Chunker(embedder);
    String dir = context.request().config().output().pagesPrefix();
    List<Chunk> chunks = new ArrayList<>();
    List<EmbeddedChunk> embedded = new ArrayList<>();
    for (Page page : context.pages()) {
      // A page kept unchanged keeps its chunks, unless another model embedded them.
      var kept =
          context
              .kept(dir + page.path())
              .flatMap(k -> context.previous().flatMap(p -> p.chunks(k.path(), embedder.model())));
      if (kept.isPresent()) {
        embedded.addAll(kept.get());
      } else {
        chunks.addAll(chunker.chunk(page.path(), page.title(), page.markdown()));
      }
    }
    for (int from = 0; from < chunks.size() && !context.cancelled(); from += BATCH) {
      List<Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + BATCH));
      List<float[]> vectors;
      try {
        vectors = embedder.embed(batch.stream().map(Chunk::text).toList());
      } catch (RuntimeException e) {
        throw new TransientException(
            Reason.STORAGE_UNAVAILABLE, "embedding failed: " + e.getMessage(), e);
      }
      for (int i = 0; i < batch.size(); i++) {
        embedded.add(new EmbeddedChunk(batch.get(i), vectors.get(i)));
      }
    }
    return embedded;
  }
}
