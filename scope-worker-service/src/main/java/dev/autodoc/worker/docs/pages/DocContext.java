package dev.autodoc.worker.docs.pages;

import dev.autodoc.worker.docs.structure.DocStructure;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.symbols.SourceFile;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What page generation and scoring know about a scope: its structure, every declaration, every
 * file, and where pages live relative to the scope (for links to sources).
 *
 * @param pagesDir the scope-relative directory pages are written to ({@code docs/autodoc})
 */
public record DocContext(
    DocStructure structure,
    List<SourceFile> sources,
    Set<String> files,
    String pagesDir,
    String purpose) {
  public DocContext {
    sources = List.copyOf(sources);
    files = Set.copyOf(files);
  }

  public List<Symbol> symbols() {
    return sources.stream().flatMap(s -> s.symbols().stream()).toList();
  }

  /**
   * Every name a page may mention as code: symbols (simple, qualified, Type.member) and modules.
   */
  public Set<String> knownNames() {
    Set<String> names = new HashSet<>();
    for (Symbol s : symbols()) {
      names.add(s.name());
      names.add(s.qualifiedName());
      int dot = s.container().lastIndexOf('.');
      names.add((dot < 0 ? s.container() : s.container().substring(dot + 1)) + "." + s.name());
    }
    sources.stream().map(SourceFile::module).forEach(names::add);
    return names;
  }

  public List<Symbol> symbolsOf(PagePlan page) {
    Set<String> owned = Set.copyOf(page.ownedSymbols());
    return symbols().stream()
        .filter(s -> owned.contains(s.qualifiedName()))
        .collect(Collectors.toList());
  }

  /** The link from a page to a scope-relative path (a source file or another page). */
  public String link(PagePlan from, String target, boolean toPage) {
    int depth = segments(pagesDir) + segments(from.path()) - 1;
    String up = "../".repeat(Math.max(0, depth));
    if (toPage) {
      return "../".repeat(Math.max(0, segments(from.path()) - 1)) + target;
    }
    return up + target;
  }

  private static int segments(String path) {
    return path.isEmpty() ? 0 : path.split("/").length;
  }
}
