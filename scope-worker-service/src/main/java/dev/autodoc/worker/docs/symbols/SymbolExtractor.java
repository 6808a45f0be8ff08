package dev.autodoc.worker.docs.symbols;

import java.util.Optional;

/** Reads the declarations of files in one language with a real parser. */
public interface SymbolExtractor {
  /** Whether this extractor reads files of the scanned language. */
  boolean reads(String language);

  /**
   * The declarations of one file, or empty when the file does not parse (the page generator then
   * documents it by name only and the scope goes on).
   */
  Optional<SourceFile> extract(String path, String content);
}
