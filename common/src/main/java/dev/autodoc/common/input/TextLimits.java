package dev.autodoc.common.input;

/**
 * What a text value from outside (an HTTP body, header, path or query, a Kafka record) may be: at
 * most so many characters, and no control characters, which no repository URL, branch, key, query
 * or path needs and which PostgreSQL cannot even store (NUL). Every entry point checks its strings
 * here, so a 5 MB value or a NUL byte is a named 400 or dead letter, never a failure deep inside.
 */
public final class TextLimits {
  public static final int REPOSITORY = 2_048;
  public static final int BRANCH = 255;
  public static final int IDEMPOTENCY_KEY = 255;
  public static final int URL = 2_048;
  public static final int QUERY = 1_000;

  /** A page path, a repository id or any other path or query parameter. */
  public static final int PARAMETER = 1_024;

  /** A short word: a mode, a status, a cron expression, a time zone. */
  public static final int WORD = 200;

  /** How much of a bad value an error message quotes. */
  public static final int QUOTED = 60;

  private TextLimits() {}

  /** Why {@code value} is not acceptable, or null when it is (or is absent). */
  public static String problem(String value, int max) {
    if (value == null) {
      return null;
    }
    if (value.length() > max) {
      return "must be at most " + max + " characters, was " + value.length();
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        return String.format(
            "must not contain control characters; found U+%04X at position %d", (int) c, i);
      }
    }
    return null;
  }

  /**
   * The value as an error message quotes it: in quotes, at most {@link #QUOTED} characters, control
   * characters shown as code points.
   */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder quoted = new StringBuilder("'");
    int end = Math.min(value.length(), QUOTED);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      quoted.append(Character.isISOControl(c) ? String.format("\\u%04X", (int) c) : c);
    }
    return quoted.append(value.length() > QUOTED ? "…'" : "'").toString();
  }
}
