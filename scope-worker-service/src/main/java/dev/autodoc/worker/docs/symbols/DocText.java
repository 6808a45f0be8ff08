package dev.autodoc.worker.docs.symbols;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a doc comment, docstring or README says first, as one line of plain prose: the first
 * paragraph that is text (not a heading, a badge, an image, a link definition or HTML), and of it
 * the first sentence.
 */
public final class DocText {
  private static final Pattern DEFINITION = Pattern.compile("(?m)^\\s*\\[([^\\]]+)]:\\s*\\S+.*$");

  /** {@code [text][ref]}, or {@code [ref]} not followed by a link target. */
  private static final Pattern REFERENCE =
      Pattern.compile("(?<![!\\]])\\[([^\\]\\[]+)](\\[[^\\]]*])?(?![(\\[:])");

  private DocText() {}

  /** The first sentence of a comment's text; empty for a to-do note. */
  public static String firstSentence(String comment) {
    String text = comment.replaceAll("\\s+", " ").strip();
    if (text.toLowerCase(Locale.ROOT).startsWith("todo")) {
      return "";
    }
    for (int i = 0; i < text.length() - 1; i++) {
      if (text.charAt(i) == '.' && Character.isWhitespace(text.charAt(i + 1))) {
        return text.substring(0, i + 1);
      }
    }
    return text;
  }

  /**
   * The first paragraph of Markdown that is prose, on one line: headings, badges, images, link
   * definitions, HTML blocks and code fences are passed over.
   */
  public static String firstParagraph(String markdown) {
    // reference links lose their brackets with their definitions: [text][ref] and [ref] read text
    java.util.Set<String> refs = new java.util.HashSet<>();
    Matcher definition = DEFINITION.matcher(markdown);
    while (definition.find()) {
      refs.add(definition.group(1).toLowerCase(Locale.ROOT));
    }
    String unreferenced =
        REFERENCE
            .matcher(DEFINITION.matcher(markdown).replaceAll(""))
            .replaceAll(
                m ->
                    m.group(2) != null || refs.contains(m.group(1).toLowerCase(Locale.ROOT))
                        ? Matcher.quoteReplacement(m.group(1))
                        : Matcher.quoteReplacement(m.group()));
    String text =
        unreferenced
            // badges: an image that links, inline or by reference, then any bare image
            .replaceAll("\\[!\\[[^\\]]*](\\([^)]*\\)|\\[[^\\]]*])?]([(\\[][^)\\]]*[)\\]])?", "")
            .replaceAll("!\\[[^\\]]*](\\([^)]*\\)|\\[[^\\]]*])", "")
            .replaceAll("&[a-z]+;", " ")
            .replaceAll("(?m)^\\s*<[^>]*>\\s*$", "");
    for (String block : text.split("\\n\\s*\\n")) {
      String paragraph = block.strip();
      if (!paragraph.isEmpty()
          && !paragraph.startsWith("#")
          && !paragraph.startsWith("<")
          && !paragraph.startsWith("```")
          && !paragraph.startsWith("---")) {
        return paragraph.replaceAll("\\s+", " ");
      }
    }
    return "";
  }

  /** The first sentence of the first paragraph of prose. */
  public static String summary(String markdown) {
    return firstSentence(firstParagraph(markdown));
  }
}
