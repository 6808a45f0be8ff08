package dev.autodoc.worker.docs.pages;

import java.nio.charset.StandardCharsets;

/**
 * Names from a repository (file and directory names, which may hold any character but {@code /} and
 * NUL) made safe for the Markdown they are written into: a newline or a {@code |} must not end a
 * table row or a list item, a {@code ]} must not end a link text, a backtick must not end a code
 * span, and a link must lead to the file it names.
 */
public final class Markdown {
  private static final String PUNCTUATION = "\\`*_[]<>|#!()";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Markdown() {}

  /** Text that reads as itself: control characters shown as escapes, punctuation escaped. */
  public static String text(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (char c : visible(name).toCharArray()) {
      if (PUNCTUATION.indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * A code span of a name, fenced by more backticks than any run inside it; for a table cell, its
   * {@code |} are escaped as GFM asks even inside code.
   */
  public static String code(String name, boolean inTable) {
    String content = visible(name);
    if (inTable) {
      content = content.replace("|", "\\|");
    }
    int longest = 0;
    int run = 0;
    for (char c : content.toCharArray()) {
      run = c == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(longest + 1);
    String pad = longest > 0 || content.startsWith(" ") || content.endsWith(" ") ? " " : "";
    return fence + pad + content + pad + fence;
  }

  /** A relative link target: each byte outside RFC 3986's unreserved set and {@code /} encoded. */
  public static String url(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || "-._~/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** Control characters as the escapes a reader knows ({@code \n}, {@code \t}, {@code \x1B}). */
  public static String visible(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\x%02X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * The anchors of a page's headings, as the page view and GitHub give them ({@link
   * DocContext#anchors()}, in the page's order so that repeated headings get their suffixes).
   */
  public static java.util.Set<String> anchors(String markdown) {
    var ids = DocContext.anchors();
    java.util.Set<String> anchors = new java.util.LinkedHashSet<>();
    org.commonmark.parser.Parser.builder()
        .build()
        .parse(markdown)
        .accept(
            new org.commonmark.node.AbstractVisitor() {
              @Override
              public void visit(org.commonmark.node.Heading heading) {
                var text = new StringBuilder();
                heading.accept(
                    new org.commonmark.node.AbstractVisitor() {
                      @Override
                      public void visit(org.commonmark.node.Text t) {
                        text.append(t.getLiteral());
                      }

                      @Override
                      public void visit(org.commonmark.node.Code c) {
                        text.append(c.getLiteral());
                      }
                    });
                anchors.add(ids.generateId(text.toString()));
              }
            });
    return anchors;
  }
}
