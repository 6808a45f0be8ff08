package dev.autodoc.worker.docs.symbols;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the declarations of files in one language with a real parser. */
public interface SymbolExtractor {
  /** JavaParser for Java, tree-sitter for the other languages with a grammar. */
  static List<SymbolExtractor> all() {
    List<SymbolExtractor> all = new ArrayList<>();
    all.add(new JavaSymbolExtractor());
    all.addAll(TreeSitterSymbolExtractor.all());
    return List.copyOf(all);
  }

  /** The extractor for a language, if one reads it. */
  static Optional<SymbolExtractor> forLanguage(List<SymbolExtractor> extractors, String language) {
    return extractors.stream().filter(e -> e.reads(language)).findFirst();
  }

  /** Whether this extractor reads files of the scanned language. */
  boolean reads(String language);

  /**
   * The declarations of one file, or empty when the file does not parse (the page generator then
   * documents it by name only and the scope goes on).
   *
   * @throws ParseBudget.Exceeded when the file takes more work than the budget allows
   */
  Optional<SourceFile> extract(String path, String content, ParseBudget budget);

  /** {@link #extract(String, String, ParseBudget)} within the default budget. */
  default Optional<SourceFile> extract(String path, String content) {
    return extract(path, content, ParseBudget.DEFAULT);
  }
}
