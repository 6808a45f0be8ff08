package dev.autodoc.worker.persistence;

import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.support.embedding.Embedder;
import dev.autodoc.worker.docs.embeddings.Chunk;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.docs.structure.DocStructure;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an incremental run of a scope starts from: the structure, pages and chunks of the scope's
 * last successful run (its baseline job). Pages and chunks are keyed by their stored path, relative
 * to the scope ({@code pages_dir} included).
 */
public record PreviousRun(
    DocStructure structure, Map<String, StoredPage> pages, Map<String, List<StoredChunk>> chunks) {
  public PreviousRun {
    pages = Map.copyOf(pages);
    chunks = Map.copyOf(chunks);
  }

  /** A page as stored: what a kept page carries over unchanged. */
  public record StoredPage(
      String path,
      String kind,
      String title,
      String markdown,
      double score,
      int attempts,
      List<String> findings,
      List<String> sources,
      String commitSha,
      TokenUsage tokens,
      Instant generatedAt) {

    /** The page again, at its path under the pages directory. */
    public Page asPage(String planPath) {
      return new Page(planPath, title, markdown, score, findings, attempts, sources, tokens);
    }
  }

  /** A chunk as stored, with the model and version whose tokenizer cut it. */
  public record StoredChunk(Chunk chunk, String model, String modelVersion) {}

  public Optional<StoredPage> page(String storedPath) {
    return Optional.ofNullable(pages.get(storedPath));
  }

  /**
   * The chunks of a page when every one was cut for {@code embedder}'s model and version; empty
   * when the page has none or the model changed since, so the page is cut again.
   */
  public Optional<List<Chunk>> chunks(String storedPath, Embedder embedder) {
    List<StoredChunk> stored = chunks.get(storedPath);
    if (stored == null
        || stored.isEmpty()
        || stored.stream()
            .anyMatch(
                c ->
                    !c.model().equals(embedder.model())
                        || !c.modelVersion().equals(embedder.version()))) {
      return Optional.empty();
    }
    return Optional.of(stored.stream().map(StoredChunk::chunk).toList());
  }
}
