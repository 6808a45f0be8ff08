package dev.autodoc.worker.docs.symbols;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Java source with the insides of its method and constructor bodies taken out, every line break
 * kept. The extractor reads declarations only, and bodies are most of a file: JavaParser builds a
 * tree for every statement, so parsing the hollowed text is what makes extraction fast. Lines stay
 * where they were, so every declaration keeps its first and last line.
 *
 * <p>The scan knows just enough Java to find a body: comments, string, character and text-block
 * literals, and, at the level of a type's members, whether the member being read is a type (a
 * {@code class}, {@code interface}, {@code enum}, {@code record} or {@code @interface} keyword), a
 * field (an {@code =} outside parentheses), an enum's constant (before the enum's first {@code ;})
 * or a method (a parameter list, then a brace). Any other block (an initializer, a field's value,
 * an enum constant's body, an annotation element's default, a compact constructor) is kept whole. A
 * source it cannot follow (unbalanced braces, a Unicode escape that spells a quote or a brace) is
 * returned unchanged, and the extractor parses a hollowed source that fails again whole.
 */
final class MethodBodies {
  private final String source;
  private final StringBuilder out;
  private int copied;
  private int at;

  /** The last character read outside comments and whitespace; a literal counts as a quote. */
  private char previous;

  /** The last word read, for an annotation element's {@code default} value. */
  private String lastWord = "";

  private MethodBodies(String source) {
    this.source = source;
    this.out = new StringBuilder(source.length() / 2);
  }

  /** The source with its method bodies emptied, or the source itself if it cannot be followed. */
  static String hollow(String source) {
    if (hasStructuralEscape(source)) {
      return source;
    }
    var scan = new MethodBodies(source);
    return scan.members() ? scan.result() : source;
  }

  private String result() {
    if (copied == 0) {
      return source;
    }
    return out.append(source, copied, source.length()).toString();
  }

  /** What is known of the member being read, at one level of type nesting. */
  private static final class Member {
    int parens;
    boolean parameters;
    boolean assigned;
    boolean type;
    boolean enumType;
    boolean afterRecord;

    /** Whether this member is in an enum's list of constants, whose bodies are kept. */
    boolean constant;

    void reset() {
      parens = 0;
      parameters = false;
      assigned = false;
      type = false;
      enumType = false;
      afterRecord = false;
    }
  }

  /** Reads the file as members of nested types; false if it cannot be followed. */
  private boolean members() {
    Deque<Member> levels = new ArrayDeque<>();
    Member member = new Member();
    int length = source.length();
    while (at < length) {
      char c = source.charAt(at);
      if (skipsLexeme(c)) {
        if (c == '"' || c == '\'') {
          previous = '"';
        }
        continue;
      }
      if (Character.isJavaIdentifierStart(c)) {
        int start = at;
        while (at < length && Character.isJavaIdentifierPart(source.charAt(at))) {
          at++;
        }
        lastWord = source.substring(start, at);
        word(member, lastWord);
        previous = 'a';
        continue;
      }
      member.afterRecord = false;
      boolean afterWord = previous == 'a';
      previous = c;
      switch (c) {
        case '(' -> {
          member.parens++;
          member.parameters |= member.parens == 1;
        }
        case ')' -> member.parens--;
        case '=' -> member.assigned |= member.parens == 0;
        case ';' -> {
          if (member.parens == 0) {
            member.reset();
            member.constant = false;
          }
        }
        case '{' -> {
          if (member.parens != 0) {
            break;
          }
          if (member.type) {
            levels.push(member);
            boolean constants = member.enumType;
            member = new Member();
            member.constant = constants;
          } else {
            int close = closingBrace(at);
            if (close < 0) {
              return false;
            }
            boolean defaultValue = afterWord && "default".equals(lastWord);
            if (member.parameters && !member.assigned && !defaultValue && !member.constant) {
              empty(at + 1, close);
            }
            at = close;
            if (!member.assigned) {
              member.reset();
            }
          }
        }
        case '}' -> {
          if (member.parens != 0) {
            break;
          }
          if (levels.isEmpty()) {
            return false;
          }
          member = levels.pop();
          member.reset();
        }
        default -> {}
      }
      at++;
    }
    return levels.isEmpty();
  }

  private void word(Member member, String word) {
    boolean qualified = previous == '.';
    if (member.afterRecord) {
      member.type = true;
    }
    member.afterRecord = "record".equals(word) && !qualified;
    if (!qualified && ("class".equals(word) || "interface".equals(word) || "enum".equals(word))) {
      member.type = true;
      member.enumType |= "enum".equals(word);
    }
  }

  /** Steps over a comment or literal starting at the current character, if one does. */
  private boolean skipsLexeme(char c) {
    int end = lexemeEnd(at, c);
    if (end == at) {
      return false;
    }
    at = end;
    return true;
  }

  /** Where the comment, literal or whitespace at {@code i} ends; {@code i} if none starts there. */
  private int lexemeEnd(int i, char c) {
    int length = source.length();
    if (Character.isWhitespace(c)) {
      return i + 1;
    }
    if (c == '/' && i + 1 < length) {
      char next = source.charAt(i + 1);
      if (next == '/') {
        int end = source.indexOf('\n', i);
        return end < 0 ? length : end;
      }
      if (next == '*') {
        int end = source.indexOf("*/", i + 2);
        return end < 0 ? length : end + 2;
      }
      return i;
    }
    if (c == '"') {
      if (source.startsWith("\"\"\"", i)) {
        return quoted(i + 3, "\"\"\"");
      }
      return quoted(i + 1, "\"");
    }
    if (c == '\'') {
      return quoted(i + 1, "'");
    }
    return i;
  }

  /** The end of a literal whose text starts at {@code i} and closes with {@code quote}. */
  private int quoted(int i, String quote) {
    int length = source.length();
    while (i < length) {
      char c = source.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (source.startsWith(quote, i)) {
        return i + quote.length();
      } else {
        i++;
      }
    }
    return length;
  }

  /** The brace that closes the one at {@code open}, or -1 if none does. */
  private int closingBrace(int open) {
    int depth = 0;
    int i = open;
    int length = source.length();
    while (i < length) {
      char c = source.charAt(i);
      int end = lexemeEnd(i, c);
      if (end != i) {
        i = end;
        continue;
      }
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
      i++;
    }
    return -1;
  }

  /** Copies the source up to {@code from}, then only the line breaks up to {@code to}. */
  private void empty(int from, int to) {
    out.append(source, copied, from);
    for (int i = from; i < to; i++) {
      char c = source.charAt(i);
      if (c == '\n' || c == '\r') {
        out.append(c);
      }
    }
    copied = to;
  }

  /** Characters the scan reads to find a body. */
  private static final String STRUCTURE = "\"'\\{}();=/*.@ \t\f\n\r";

  /**
   * Whether a Unicode escape spells a character the scan reads: Java decodes them before anything
   * else, so {@code \u0022} opens a string. Escapes of other characters ({@code '\u0000'}, an
   * accented letter in a string) are common and harmless to the scan.
   */
  private static boolean hasStructuralEscape(String source) {
    for (int i = source.indexOf("\\u"); i >= 0; i = source.indexOf("\\u", i + 1)) {
      int backslashes = 0;
      for (int j = i; j >= 0 && source.charAt(j) == '\\'; j--) {
        backslashes++;
      }
      if (backslashes % 2 == 0) {
        continue;
      }
      int hex = i + 1;
      while (hex < source.length() && source.charAt(hex) == 'u') {
        hex++;
      }
      if (hex + 4 > source.length()) {
        return true;
      }
      int code;
      try {
        code = Integer.parseInt(source, hex, hex + 4, 16);
      } catch (NumberFormatException e) {
        return true;
      }
      if (STRUCTURE.indexOf(code) >= 0) {
        return true;
      }
    }
    return false;
  }
}
