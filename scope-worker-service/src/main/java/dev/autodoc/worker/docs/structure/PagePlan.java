package dev.autodoc.worker.docs.structure;

import java.util.List;

/**
 * One page the documentation will have: where it goes (relative to the scope's pages directory),
 * what it is for, which source files it is made from and which symbols it must cover.
 */
public record PagePlan(
    String path,
    String title,
    Kind kind,
    String module,
    String purpose,
    List<String> sourceFiles,
    List<String> ownedSymbols) {
  public enum Kind {
    OVERVIEW,
    MODULE,
    /** A key component: one type with a large public surface, and its members. */
    COMPONENT
  }

  public PagePlan {
    sourceFiles = List.copyOf(sourceFiles);
    ownedSymbols = List.copyOf(ownedSymbols);
  }
}
