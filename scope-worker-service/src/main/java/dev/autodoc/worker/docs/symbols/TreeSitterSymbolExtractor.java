package dev.autodoc.worker.docs.symbols;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.treesitter.TSInputEncoding;
import org.treesitter.TSLanguage;
import org.treesitter.TSParser;
import org.treesitter.TSReader;
import org.treesitter.TSTree;
import org.treesitter.TreeSitterC;
import org.treesitter.TreeSitterCSharp;
import org.treesitter.TreeSitterCpp;
import org.treesitter.TreeSitterGo;
import org.treesitter.TreeSitterJavascript;
import org.treesitter.TreeSitterPython;
import org.treesitter.TreeSitterRust;
import org.treesitter.TreeSitterTypescript;

/**
 * Declarations of Python, JavaScript, TypeScript, Go, Rust, C, C++ and C# files from their
 * tree-sitter grammars: types, functions, methods, fields and constants, with signatures, doc
 * comments (or Python docstrings), lines and imports.
 *
 * <p>A file's module is its directory. Qualified names are the module with dots, then the enclosing
 * namespace or type, then the name ({@code lib.Command.Execute}), so two directories declaring the
 * same name never own each other's symbols. What counts as exported follows each language: no
 * leading underscore (Python), {@code export} (or every top-level declaration of a script without
 * ES exports, whose API goes through {@code module.exports}), a capital letter (Go), {@code pub}
 * (Rust), not {@code static} and not in a private section (C, C++), {@code public} (C#).
 *
 * <p>tree-sitter recovers from syntax errors, so a file with errors still yields what parsed. Node
 * offsets are UTF-8 bytes; text is cut from the file's UTF-8 bytes.
 */
public final class TreeSitterSymbolExtractor implements SymbolExtractor {
  private static final Map<String, Supplier<TSLanguage>> GRAMMARS =
      Map.of(
          "python", TreeSitterPython::new,
          "javascript", TreeSitterJavascript::new,
          "typescript", TreeSitterTypescript::new,
          "go", TreeSitterGo::new,
          "rust", TreeSitterRust::new,
          "c", TreeSitterC::new,
          "cpp", TreeSitterCpp::new,
          "csharp", TreeSitterCSharp::new);

  /** Bytes handed to the parser at a time. */
  private static final int READ_CHUNK = 64 * 1024;

  private final String language;

  private TreeSitterSymbolExtractor(String language) {
    this.language = language;
  }

  /** One extractor for each language with a grammar. */
  public static List<SymbolExtractor> all() {
    return GRAMMARS.keySet().stream()
        .sorted()
        .map(l -> (SymbolExtractor) new TreeSitterSymbolExtractor(l))
        .toList();
  }

  @Override
  public boolean reads(String language) {
    return this.language.equals(language);
  }

  @Override
  public Optional<SourceFile> extract(String path, String content, ParseBudget budget) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    budget.checkSize(bytes.length);
    // A parser is cheap and not thread-safe: one per file keeps scopes in parallel apart.
    try (TSParser parser = new TSParser()) {
      if (!parser.setLanguage(GRAMMARS.get(language).get())) {
        return Optional.empty();
      }
      long deadline = System.nanoTime() + budget.timeout().toNanos();
      TSReader reader =
          (buffer, offset, position) -> {
            int n = Math.max(0, Math.min(buffer.length, bytes.length - offset));
            System.arraycopy(bytes, offset, buffer, 0, n);
            return n;
          };
      // The progress callback stops the parse once the file has had its time.
      try (TSTree tree =
          parser.parseWithOptions(
              new byte[READ_CHUNK],
              null,
              reader,
              TSInputEncoding.TSInputEncodingUTF8,
              state -> System.nanoTime() > deadline)) {
        if (tree == null) {
          if (System.nanoTime() > deadline) {
            throw budget.timedOut();
          }
          return Optional.empty();
        }
        var file = new FileWalk(language, path, bytes, budget);
        file.walk(tree.getRootNode());
        return Optional.of(
            new SourceFile(
                path,
                language,
                file.module,
                file.summary,
                Declarations.unify(file.symbols),
                file.imports));
      }
    }
  }

  /**
   * The module a file's top-level declarations belong to, in languages where a file is a module
   * (Python, JavaScript, TypeScript, Rust, C and C++): the directory's module and the file's stem,
   * so two files declaring the same name declare two symbols. A package's index file ({@code
   * __init__.py}, {@code index.ts}, {@code mod.rs}, {@code lib.rs}, {@code main.rs}) is the
   * directory's module itself.
   */
  static String fileModule(String directoryModule, String fileName) {
    int dot = fileName.indexOf('.');
    String stem = dot < 0 ? fileName : fileName.substring(0, dot);
    return Set.of("__init__", "index", "mod", "lib", "main").contains(stem)
        ? directoryModule
        : qualify(directoryModule, stem);
  }

  static String qualify(String container, String name) {
    return container.isEmpty() ? name : container + "." + name;
  }

  static boolean capitalised(String name) {
    return !name.isEmpty() && Character.isUpperCase(name.charAt(0));
  }

  static String unquote(String literal) {
    return literal.replaceAll("^[\"'`<]|[\"'`>]$", "");
  }
}
