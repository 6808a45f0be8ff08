package dev.autodoc.worker.docs.pages;

import dev.autodoc.common.event.TokenUsage;
import java.util.List;

/**
 * A generated page with its final quality score, the findings behind it, how many tries it took,
 * and the LLM tokens all those tries used.
 */
public record Page(
    String path,
    String title,
    String markdown,
    double score,
    List<String> findings,
    int attempts,
    List<String> sourceFiles,
    TokenUsage tokens) {
  public Page {
    findings = List.copyOf(findings);
    sourceFiles = List.copyOf(sourceFiles);
  }
}
