package dev.autodoc.worker.docs.symbols;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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

  // Compiled once: every declaration of every file is normalized.
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern AFTER_OPENING = Pattern.compile("([(\\[]) ");
  private static final Pattern BEFORE_CLOSING = Pattern.compile(" ([)\\],])");
  private static final Pattern TRAILING_COMMA = Pattern.compile(",([)\\]])");
  private static final Pattern OPENING_END = Pattern.compile("\\s*[{:;=]$");

  private Signatures() {}

  /** A shortened signature; {@code cut} says whether anything was left off. */
  public record Shortened(String code, boolean cut) {}

  /**
   * One line, whitespace collapsed, no space inside brackets or before a comma, no trailing comma
   * before a closing bracket, trailing {@code { : ; =}} dropped, kept within {@link #MAX_STORED}.
   */
  public static String normalize(String code) {
    String text = SPACES.matcher(code).replaceAll(" ");
    text = AFTER_OPENING.matcher(text).replaceAll("$1");
    text = BEFORE_CLOSING.matcher(text).replaceAll("$1");
    text = TRAILING_COMMA.matcher(text).replaceAll("$1");
    text = OPENING_END.matcher(text.strip()).replaceAll("").strip();
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

  /**
   * A signature with one parameter to a line, indented by four, as black, prettier, rustfmt, gofmt
   * and google-java-format lay out a declaration too long for one line: a trailing comma where the
   * language allows one (Python, JavaScript, TypeScript, Rust, Go), none where it does not. A
   * signature without a parameter list is returned as it is.
   */
  public static String wrap(String signature, String language) {
    int open = signature.indexOf('(');
    int close = open < 0 ? -1 : closing(signature, open);
    if (close < 0 || signature.substring(open + 1, close).isBlank()) {
      return signature;
    }
    boolean trailingComma =
        java.util.Set.of("python", "javascript", "typescript", "rust", "go").contains(language);
    var out = new StringBuilder(signature.substring(0, open + 1)).append('\n');
    List<String> parameters = topLevelParts(signature.substring(open + 1, close));
    for (int i = 0; i < parameters.size(); i++) {
      out.append("    ").append(parameters.get(i));
      out.append(i < parameters.size() - 1 || trailingComma ? ",\n" : "\n");
    }
    return out.append(signature.substring(close)).toString();
  }

  /** Where the bracket opened at {@code open} closes, strings and nested brackets skipped. */
  private static int closing(String code, int open) {
    int depth = 0;
    for (int i = open; i < code.length(); i++) {
      char c = code.charAt(i);
      if (isQuote(c)) {
        i = endOfString(code, i);
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if ((c == ')' || c == ']' || c == '}') && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** A parameter list split at its own commas, not those inside brackets, generics or strings. */
  private static List<String> topLevelParts(String list) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      char before = i > 0 ? list.charAt(i - 1) : ' ';
      if (isQuote(c)) {
        i = endOfString(list, i);
      } else if ("([{<".indexOf(c) >= 0) {
        depth++;
      } else if (")]}".indexOf(c) >= 0 || (c == '>' && before != '-' && before != '=')) {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(list.substring(start, i).strip());
        start = i + 1;
      }
    }
    String last = list.substring(start).strip();
    if (!last.isEmpty()) {
      parts.add(last);
    }
    return parts;
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'' || c == '`';
  }

  /** Where the string literal opened at {@code open} ends (its closing quote), escapes skipped. */
  private static int endOfString(String code, int open) {
    char quote = code.charAt(open);
    for (int i = open + 1; i < code.length(); i++) {
      if (code.charAt(i) == '\\') {
        i++;
      } else if (code.charAt(i) == quote) {
        return i;
      }
    }
    return code.length();
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
