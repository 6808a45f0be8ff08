package dev.autodoc.orchestrator.ask;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an answer cites, and what in it is a claim. A citation names a page section, {@code
 * [repository:path/to/page.md#anchor]}, or a range of source lines, {@code
 * [repository:path/to/File.java:12-20]} (or one line, {@code :12}); the repository is its id, as
 * {@code list_repositories} gives it. A claim is a sentence of the answer's prose (code blocks,
 * headings and sentences of fewer than three words are not claims); it is cited when a citation
 * stands in it or right after its full stop.
 */
final class Citations {
  static final Pattern CITATION =
      Pattern.compile(
          "\\[([a-z0-9][a-z0-9._-]*):([^\\[\\]\\s#]+?)(?:#([^\\[\\]\\s]+)|:(\\d{1,9})(?:-(\\d{1,9}))?)](?!\\()");

  /** A sentence ends at a full stop, a question or exclamation mark, and the citations after it. */
  private static final Pattern SENTENCE_END =
      Pattern.compile("[.!?]((?:\\s*" + CITATION.pattern() + ")*)(?=\\s|$)");

  private static final Pattern WORD = Pattern.compile("\\p{L}{2,}");

  private Citations() {}

  /**
   * One citation as written, and what it names. A page citation has no lines, a code one no anchor.
   */
  record Citation(
      String text, String repository, String path, String anchor, Integer line, Integer endLine) {
    boolean code() {
      return line != null;
    }

    static String page(String repository, String path, String anchor) {
      return "[" + repository + ":" + path + "#" + anchor + "]";
    }

    static String code(String repository, String path, int line, int endLine) {
      return "["
          + repository
          + ":"
          + path
          + ":"
          + line
          + (endLine == line ? "" : "-" + endLine)
          + "]";
    }
  }

  /** Every citation of the answer, in order, repeats kept once. */
  static List<Citation> in(String answer) {
    List<Citation> found = new ArrayList<>();
    Matcher m = CITATION.matcher(answer);
    while (m.find()) {
      Integer line = m.group(4) == null ? null : Integer.valueOf(m.group(4));
      Integer end = m.group(5) == null ? line : Integer.valueOf(m.group(5));
      var citation = new Citation(m.group(), m.group(1), m.group(2), m.group(3), line, end);
      if (found.stream().noneMatch(c -> c.text().equals(citation.text()))) {
        found.add(citation);
      }
    }
    return found;
  }

  /** A sentence of the answer's prose, and whether it cites anything. */
  record Claim(String text, boolean cited) {}

  static List<Claim> claims(String answer) {
    List<Claim> claims = new ArrayList<>();
    boolean fenced = false;
    for (String line : answer.lines().toList()) {
      String stripped = line.strip();
      if (stripped.startsWith("```") || stripped.startsWith("~~~")) {
        fenced = !fenced;
        continue;
      }
      if (fenced || stripped.startsWith("#") || stripped.matches("[|:\\-\\s]*")) {
        continue;
      }
      String prose = stripped.replaceFirst("^([-*+>]|\\d+[.)])\\s+", "");
      Matcher end = SENTENCE_END.matcher(prose);
      int start = 0;
      while (end.find()) {
        add(claims, prose.substring(start, end.end()));
        start = end.end();
      }
      add(claims, prose.substring(start));
    }
    return claims;
  }

  private static void add(List<Claim> claims, String sentence) {
    String text = sentence.strip();
    String words = CITATION.matcher(text).replaceAll(" ");
    if (WORD.matcher(words).results().count() >= 3) {
      claims.add(new Claim(text, CITATION.matcher(text).find()));
    }
  }
}
