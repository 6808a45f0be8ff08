package dev.autodoc.orchestrator.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One section of a Markdown page: its heading and what follows, up to a heading of its rank. */
final class Sections {
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

  /** A link in a heading: its text is what the heading's id is made from. */
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");

  private Sections() {}

  /**
   * The section whose heading reads {@code name} (case aside) or whose anchor is {@code name}: the
   * id the page view gives the heading (commonmark's, as GitHub: lower case, words joined by
   * hyphens, a repeated heading numbered {@code -1}, {@code -2}), which is what {@code find_symbol}
   * names. A tool error naming the page's headings if none does. Headings inside fenced code are
   * not headings.
   */
  static String of(String markdown, String name, String page) {
    List<String> lines = markdown.lines().toList();
    var ids = org.commonmark.ext.heading.anchor.IdGenerator.builder().build();
    List<String> headings = new ArrayList<>();
    boolean fenced = false;
    int start = -1;
    int rank = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
        fenced = !fenced;
        continue;
      }
      Matcher m = fenced ? null : HEADING.matcher(line);
      if (m == null || !m.matches()) {
        continue;
      }
      int level = m.group(1).length();
      if (start >= 0 && level <= rank) {
        return String.join("\n", lines.subList(start, i)).strip() + "\n";
      }
      String text = m.group(2);
      headings.add(text);
      String id = ids.generateId(LINK.matcher(text).replaceAll("$1"));
      if (start < 0 && (text.equalsIgnoreCase(name.strip()) || id.equals(name.strip()))) {
        start = i;
        rank = level;
      }
    }
    if (start >= 0) {
      return String.join("\n", lines.subList(start, lines.size())).strip() + "\n";
    }
    throw new Tools.ToolError(
        "no section '" + name + "' in page " + page + "; its headings: " + headings);
  }
}
