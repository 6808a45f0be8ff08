package dev.autodoc.worker.docs.structure;

import java.util.List;
import java.util.Map;

/**
 * The documentation structure of a scope: its pages, how its modules depend on each other, and how
 * to build and test it.
 */
public record DocStructure(
    String scope,
    List<PagePlan> pages,
    Map<String, List<String>> moduleDependencies,
    List<String> buildCommands) {
  public DocStructure {
    pages = List.copyOf(pages);
    // Sorted: the static agent writes the same pages for the same code, diagrams included.
    moduleDependencies =
        java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(moduleDependencies));
    buildCommands = List.copyOf(buildCommands);
  }

  public PagePlan overview() {
    return pages.getFirst();
  }
}
