package dev.autodoc.orchestrator.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One section of a Markdown page: its heading and what follows, up to a heading of its rank. */
final class Sections {
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

  private Sections() {}

  /**
   * The section whose heading reads {@code name} (case aside) or whose anchor is {@code name} (as a
   * link to it is written: lower case, words joined by hyphens); a tool error naming the page's
   * headings if none does. Headings inside fenced code are not headings.
   */
  static String of(String markdown, String name, String page) {
    List<String> lines = markdown.lines().toList();
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
      if (start < 0 && (text.equalsIgnoreCase(name.strip()) || anchor(text).equals(name.strip()))) {
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

  /** A heading's anchor, as GitHub writes it. */
  static String anchor(String heading) {
    return heading
        .toLowerCase(Locale.ROOT)
        .replaceAll("[`*_~\\[\\]()]", "")
        .replaceAll("[^\\p{L}\\p{N}\\s-]", "")
        .strip()
        .replaceAll("\\s", "-");
  }
}
