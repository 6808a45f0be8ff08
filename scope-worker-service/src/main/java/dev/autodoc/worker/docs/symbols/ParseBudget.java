package dev.autodoc.worker.docs.symbols;

import java.time.Duration;
import java.util.List;

/**
 * How much work reading the declarations of one file may take. A scope's limits let files of up to
 * 64 MB in, and a generated file of a million tiny functions would take gigabytes to parse and
 * hold: such a file is documented by name only, with the reason in the scope's inventory, and the
 * scope goes on.
 *
 * @param maxBytes files larger than this are not parsed (bounds the parser's memory, which grows
 *     with the file: tree-sitter's tree natively, JavaParser's syntax tree on the heap)
 * @param maxDeclarations a file declaring more is not documented symbol by symbol
 * @param timeout the longest one file may take to parse (tree-sitter stops when it passes)
 */
public record ParseBudget(long maxBytes, int maxDeclarations, Duration timeout) {
  public static final ParseBudget DEFAULT =
      new ParseBudget(4L * 1024 * 1024, 5_000, Duration.ofSeconds(20));

  public static final String TOO_LARGE = "too-large-to-parse";
  public static final String TOO_MANY_DECLARATIONS = "too-many-declarations";
  public static final String TIMEOUT = "parse-timeout";
  public static final String TOO_DEEP = "too-deeply-nested";

  /** A file beyond the budget, with the reason its declarations were not read. */
  public static final class Exceeded extends RuntimeException {
    private final String reason;

    Exceeded(String reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }

    /**
     * {@link #TOO_LARGE}, {@link #TOO_MANY_DECLARATIONS}, {@link #TIMEOUT} or {@link #TOO_DEEP}.
     */
    public String reason() {
      return reason;
    }
  }

  /** Fails when a file of this many bytes is beyond the budget. */
  public void checkSize(long bytes) {
    if (bytes > maxBytes) {
      throw new Exceeded(
          TOO_LARGE, "larger than " + maxBytes + " bytes (" + bytes + "): not parsed");
    }
  }

  /** Adds a declaration, failing once a file has more than the budget allows. */
  public void add(List<Symbol> symbols, Symbol symbol) {
    if (symbols.size() >= maxDeclarations) {
      throw new Exceeded(
          TOO_MANY_DECLARATIONS, "more than " + maxDeclarations + " declarations: generated code?");
    }
    symbols.add(symbol);
  }

  Exceeded timedOut() {
    return new Exceeded(TIMEOUT, "parsing took longer than " + timeout.toSeconds() + " s");
  }

  /**
   * Reads a file's declarations, refusing a file nested deeper than the parser's stack reaches (the
   * JDK's locale data: arrays of arrays thousands deep). The parsers descend recursively; the
   * overflow unwinds only the parse, so the scope goes on without that file's declarations.
   */
  public static <T> T withinStack(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (StackOverflowError e) {
      throw new Exceeded(TOO_DEEP, "nested too deeply to parse");
    }
  }
}
