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

  /** Where a module's page is: the root module's page is named after it, not after "". */
  public String modulePath(String module) {
    return pages.stream()
        .filter(p -> p.kind() == PagePlan.Kind.MODULE && p.module().equals(module))
        .map(PagePlan::path)
        .findFirst()
        .orElse(StructureExtractor.pagePath(module));
  }

  /** What a module is called on pages: its page's title (the root module's name), or itself. */
  public String moduleTitle(String module) {
    return pages.stream()
        .filter(p -> p.kind() == PagePlan.Kind.MODULE && p.module().equals(module))
        .map(PagePlan::title)
        .findFirst()
        .orElse(module);
  }
}
