package dev.autodoc.orchestrator.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sections of a Markdown page: each heading, its anchor, and what follows it up to a heading of
 * its rank. Anchors are the ids the page view gives headings (commonmark's, as GitHub: lower case,
 * words joined by hyphens, a repeated heading numbered {@code -1}, {@code -2}), which is what
 * {@code find_symbol} names and what {@code ask} cites. Headings inside fenced code are not
 * headings.
 */
public final class Sections {
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

  /** A link in a heading: its text is what the heading's id is made from. */
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");

  private Sections() {}

  /**
   * One section: its heading as written, the heading's anchor, and the section's text (the heading
   * line included).
   */
  public record Section(String heading, String anchor, String text) {}

  public static List<Section> of(String markdown) {
    List<String> lines = markdown.lines().toList();
    var ids = org.commonmark.ext.heading.anchor.IdGenerator.builder().build();
    record Start(int line, int level, String heading, String anchor) {}
    List<Start> starts = new ArrayList<>();
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
        fenced = !fenced;
        continue;
      }
      Matcher m = fenced ? null : HEADING.matcher(line);
      if (m != null && m.matches()) {
        String text = m.group(2);
        starts.add(
            new Start(
                i, m.group(1).length(), text, ids.generateId(LINK.matcher(text).replaceAll("$1"))));
      }
    }
    List<Section> sections = new ArrayList<>();
    for (int s = 0; s < starts.size(); s++) {
      Start start = starts.get(s);
      int end = lines.size();
      for (int n = s + 1; n < starts.size(); n++) {
        if (starts.get(n).level() <= start.level()) {
          end = starts.get(n).line();
          break;
        }
      }
      sections.add(
          new Section(
              start.heading(),
              start.anchor(),
              String.join("\n", lines.subList(start.line(), end)).strip() + "\n"));
    }
    return sections;
  }

  /**
   * The section whose heading reads {@code name} (case aside) or whose anchor is {@code name}; a
   * tool error naming the page's headings if none does.
   */
  static String of(String markdown, String name, String page) {
    List<Section> sections = of(markdown);
    String wanted = name.strip();
    return sections.stream()
        .filter(s -> s.heading().equalsIgnoreCase(wanted) || s.anchor().equals(wanted))
        .findFirst()
        .map(Section::text)
        .orElseThrow(
            () ->
                new Tools.ToolError(
                    "no section '"
                        + name
                        + "' in page "
                        + page
                        + "; its headings: "
                        + sections.stream().map(Section::heading).toList()));
  }
}
