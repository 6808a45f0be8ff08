package dev.autodoc.worker.docs.symbols;

import java.util.List;

/**
 * What extraction learned from one file: its module (package or directory), its declarations, what
 * it imports, and the type names it refers to.
 */
public record SourceFile(
    String path,
    String language,
    String module,
    String summary,
    List<Symbol> symbols,
    List<String> imports) {
  public SourceFile {
    symbols = List.copyOf(symbols);
    imports = List.copyOf(imports);
  }
}
