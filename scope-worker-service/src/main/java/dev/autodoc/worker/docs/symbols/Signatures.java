package dev.autodoc.worker.docs.symbols;

/**
 * How a declaration's signature reads on a page: on one line, spaced as formatters space it, and,
 * when too long to show, shortened only between tokens, never inside an identifier, a number or a
 * string literal, so every name a page shows is a real name of the code.
 */
public final class Signatures {
  /**
   * The most a stored signature keeps: enough for any declaration a person writes, while a
   * generated one-line monster cannot grow a symbol without bound.
   */
  public static final int MAX_STORED = 1_000;

  /** What a page shows after a shortened signature, outside its code. */
  public static final String ELLIPSIS = "…";

  private Signatures() {}

  /** A shortened signature; {@code cut} says whether anything was left off. */
  public record Shortened(String code, boolean cut) {}

  /**
   * One line, whitespace collapsed, no space inside brackets or before a comma, no trailing comma
   * before a closing bracket, trailing {@code { : ; =}} dropped, kept within {@link #MAX_STORED}.
   */
  public static String normalize(String code) {
    String text =
        code.replaceAll("\\s+", " ")
            .replaceAll("([(\\[]) ", "$1")
            .replaceAll(" ([)\\],])", "$1")
            .replaceAll(",([)\\]])", "$1")
            .strip()
            .replaceAll("\\s*[{:;=]$", "")
            .strip();
    return shorten(text, MAX_STORED).code();
  }

  /**
   * The longest start of {@code code} of at most {@code max} characters that ends between two
   * tokens, without trailing spaces or separators; the whole when it fits.
   */
  public static Shortened shorten(String code, int max) {
    if (code.length() <= max) {
      return new Shortened(code, false);
    }
    int end = lastBoundary(code, max);
    String kept = code.substring(0, end).replaceAll("[\\s,]+$", "");
    return new Shortened(kept, true);
  }

  /** The last position at or before {@code max} that no token spans. */
  private static int lastBoundary(String code, int max) {
    int boundary = 0;
    char quote = 0;
    for (int i = 0; i < max; i++) {
      char c = code.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
          boundary = i + 1;
        }
        continue;
      }
      if (c == '"' || c == '\'' || c == '`') {
        quote = c;
        boundary = i;
        continue;
      }
      boolean word = isWord(c);
      boolean nextWord = i + 1 < code.length() && isWord(code.charAt(i + 1));
      if (!(word && nextWord)) {
        boundary = i + 1;
      }
    }
    return boundary;
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }
}
