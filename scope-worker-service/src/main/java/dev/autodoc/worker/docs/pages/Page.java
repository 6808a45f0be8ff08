package dev.autodoc.worker.docs.pages;

import java.util.List;

/**
 * A generated page with its final quality score, the findings behind it, and how many tries it
 * took.
 */
public record Page(
    String path,
    String title,
    String markdown,
    double score,
    List<String> findings,
    int attempts,
    List<String> sourceFiles) {
  public Page {
    findings = List.copyOf(findings);
    sourceFiles = List.copyOf(sourceFiles);
  }
}
