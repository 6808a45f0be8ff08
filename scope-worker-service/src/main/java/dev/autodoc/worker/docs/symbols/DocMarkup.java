package dev.autodoc.worker.docs.symbols;

import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Doc-comment markup of every supported language as Markdown, so a page never shows it raw: names
 * become code spans (which pages then link to the symbols' pages), literals become code, and block
 * tags end the description. Covers Sphinx/reStructuredText roles and literals (Python), JSDoc and
 * TSDoc inline tags and block tags (JavaScript, TypeScript), Javadoc inline tags, C# XML doc
 * elements, Doxygen commands (C, C++), and doc links in brackets (Rust, Go).
 */
public final class DocMarkup {
  /**
   * {@code :class:`Option`}, {@code :py:meth:`~click.Context.invoke`}, {@code :ref:`t <x>`}, with
   * the backslash that joins a plural on ({@code :class:`Option`\s}) or an escaped space after.
   */
  private static final Pattern ROLE = Pattern.compile(":(?:[a-z]+:)?([a-z]+):`([^`]+)`(?:\\\\ ?)?");

  /** {@code {@link Observable}}, {@code {@link Foo#bar text}}, {@code {@code x}}. */
  private static final Pattern INLINE_TAG = Pattern.compile("\\{@(\\w+)\\s*([^}]*)}");

  /** A block tag at the start of a line: what follows it is not the description. */
  private static final Pattern BLOCK_TAG = Pattern.compile("(?m)^\\s*[@\\\\](\\w+)\\b");

  /** Doxygen commands that only introduce the description. */
  private static final Pattern DOXYGEN_LEAD = Pattern.compile("(?m)^\\s*[@\\\\](brief|short)\\s+");

  private static final Pattern DOXYGEN_WORD = Pattern.compile("[@\\\\][cp]\\s+(\\w+)");

  /** {@code <see cref="T:Foo.Bar"/>}, {@code <paramref name="x"/>}, {@code <c>x</c>}. */
  private static final Pattern XML_REF =
      Pattern.compile(
          "<(?:see|seealso|paramref|typeparamref)\\s+(?:cref|name|langword)=\"(?:\\w:)?([^\"]+)\"\\s*/>");

  private static final Pattern XML_CODE = Pattern.compile("<c>([^<]*)</c>");

  /** {@code ``literal``} of reStructuredText. */
  private static final Pattern RST_LITERAL = Pattern.compile("``([^`]+)``");

  /** {@code [`Version`]} or {@code [Version]} of Rust and Go doc links, with no target after. */
  private static final Pattern DOC_LINK = Pattern.compile("\\[`?([A-Za-z_][\\w:.]*)`?](?![(\\[])");

  private DocMarkup() {}

  /** The description of a doc comment, its markup turned into Markdown, block tags cut off. */
  public static String markdown(String comment) {
    String text = DOXYGEN_LEAD.matcher(comment).replaceAll("");
    text = description(text);
    text = XML_REF.matcher(text).replaceAll(m -> code(m.group(1)));
    text = XML_CODE.matcher(text).replaceAll(m -> code(m.group(1)));
    text = RST_LITERAL.matcher(text).replaceAll(m -> code(m.group(1)));
    text = ROLE.matcher(text).replaceAll(DocMarkup::role);
    text = INLINE_TAG.matcher(text).replaceAll(DocMarkup::inlineTag);
    text = DOXYGEN_WORD.matcher(text).replaceAll(m -> code(m.group(1)));
    text = DOC_LINK.matcher(text).replaceAll(m -> code(m.group(1).replace("::", ".")));
    return text;
  }

  /**
   * What precedes the first block tag; a comment that is only tags says what its {@code deprecated}
   * tag says, if it has one.
   */
  private static String description(String text) {
    Matcher tag = BLOCK_TAG.matcher(text);
    if (!tag.find()) {
      return text;
    }
    String before = text.substring(0, tag.start());
    if (!before.isBlank()) {
      return before;
    }
    Matcher deprecated =
        Pattern.compile("(?s)[@\\\\]deprecated\\s+(.*?)(?=\\n\\s*[@\\\\]\\w|$)").matcher(text);
    return deprecated.find() ? "Deprecated: " + deprecated.group(1) : "";
  }

  private static String role(MatchResult m) {
    String role = m.group(1);
    String target = m.group(2).strip();
    // :ref:`title <label>` and :class:`title <target>`: the title is what a reader reads
    Matcher titled = Pattern.compile("^(.*?)\\s*<([^>]+)>$").matcher(target);
    if (titled.matches()) {
      return role.equals("ref") ? Matcher.quoteReplacement(titled.group(1)) : code(titled.group(2));
    }
    if (role.equals("ref") || role.equals("doc") || role.equals("term")) {
      return Matcher.quoteReplacement(target);
    }
    // ~a.b.C shows as C; !C suppresses the link but names C all the same
    if (target.startsWith("~")) {
      target = target.substring(target.lastIndexOf('.') + 1);
    }
    return code(target.replaceFirst("^!", "").replaceAll("\\(\\)$", ""));
  }

  private static String inlineTag(MatchResult m) {
    String tag = m.group(1);
    String body = m.group(2).strip();
    return switch (tag) {
      case "link", "linkcode", "linkplain", "see" -> {
        // {@link Target | text} (TSDoc), {@link Target text} (JSDoc, Javadoc)
        String[] parts = body.split("\\s*\\|\\s*|\\s+", 2);
        String target =
            parts[0].replace('#', '.').replaceAll("^\\.", "").replaceAll("\\(.*\\)$", "");
        yield parts.length > 1 && !parts[1].isBlank() && !tag.equals("linkcode")
            ? Matcher.quoteReplacement(parts[1]) + " (" + code(target) + ")"
            : code(target);
      }
      case "code", "literal" -> tag.equals("code") ? code(body) : Matcher.quoteReplacement(body);
      case "inheritDoc", "inheritdoc" -> "";
      default -> Matcher.quoteReplacement(body);
    };
  }

  private static String code(String name) {
    return Matcher.quoteReplacement("`" + name.strip() + "`");
  }
}
