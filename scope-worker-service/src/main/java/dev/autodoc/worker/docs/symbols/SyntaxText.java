package dev.autodoc.worker.docs.symbols;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.treesitter.TSNode;

/**
 * Reading one parsed file's text: a node's source, its named children and fields, and what the code
 * says of itself — signatures without their bodies or comments, doc comments, docstrings and file
 * headers, in Markdown. {@link TreeSitterSymbolExtractor} decides which declarations there are;
 * this says how they read.
 */
abstract class SyntaxText {
  private static final java.util.regex.Pattern PACKAGE_TAG =
      java.util.regex.Pattern.compile("@(packageDocumentation|file|fileoverview|module)\\b");

  final String language;
  final byte[] bytes;

  SyntaxText(String language, byte[] bytes) {
    this.language = language;
    this.bytes = bytes;
  }

  /** The first sentence of the docstring opening a module or body. */
  String docstring(TSNode body) {
    if (body == null || body.getNamedChildCount() == 0) {
      return "";
    }
    TSNode first = body.getNamedChild(0);
    if (first.getType().equals("expression_statement")
        && first.getNamedChildCount() > 0
        && first.getNamedChild(0).getType().equals("string")) {
      return DocText.firstSentence(
          DocMarkup.markdown(
              text(first.getNamedChild(0))
                  .replaceAll("^[rRuUbB]*(\"\"\"|'''|\"|')|(\"\"\"|'''|\"|')$", "")));
    }
    return "";
  }

  /**
   * A file's own documentation: a JSDoc/TSDoc block tagged {@code @packageDocumentation}, {@code
   * @file}, {@code @fileoverview} or {@code @module} anywhere at the top level, else from the
   * comments that open the file: Rust's {@code //!} lines, or a
   * JSDoc/TSDoc block that documents no declaration (followed by
   * imports rather than a declaration). License and tooling comments before it are passed over.
   */
  String header(TSNode root) {
    if (!language.equals("rust")) {
      // a tagged block documents the file wherever it stands: compiled code puts it lower
      for (TSNode node : named(root)) {
        String comment = node.getType().contains("comment") ? text(node) : "";
        if (comment.startsWith("/**") && PACKAGE_TAG.matcher(comment).find()) {
          return jsdocSummary(comment);
        }
      }
    }
    StringBuilder inner = new StringBuilder();
    for (TSNode node : named(root)) {
      if (node.getType().equals("hash_bang_line")) {
        continue;
      }
      if (!node.getType().contains("comment")) {
        break;
      }
      String comment = text(node);
      if (language.equals("rust")) {
        if (comment.startsWith("//!") || comment.startsWith("/*!")) {
          inner.append(comment).append('\n');
        } else if (!inner.isEmpty()) {
          break;
        }
      } else if (comment.startsWith("/**")) {
        TSNode next = node.getNextNamedSibling();
        boolean documentsDeclaration =
            next != null
                && !next.isNull()
                && next.getStartPoint().getRow() - node.getEndPoint().getRow() <= 1
                && !next.getType().equals("import_statement")
                && !next.getType().contains("comment")
                && !(next.getType().equals("export_statement")
                    && field(next, "declaration") == null);
        return documentsDeclaration ? "" : jsdocSummary(comment);
      }
    }
    return DocText.summary(
        inner.toString().replaceAll("(?m)^\\s*(//!|/\\*!|\\*/)[ \\t]?", "").replace("*/", ""));
  }

  /** The description of a JSDoc block: before its block tags, or after {@code @file}. */
  String jsdocSummary(String comment) {
    String body = comment.replaceAll("^/\\*\\*|\\*/$", "").replaceAll("(?m)^\\s*\\*[ \\t]?", "");
    String description = body.split("(?m)^\\s*@")[0];
    if (description.isBlank()) {
      var file = java.util.regex.Pattern.compile("@(file|fileoverview)\\s+([^@]*)").matcher(body);
      description = file.find() ? file.group(2) : "";
    }
    return DocText.summary(DocMarkup.markdown(description));
  }

  /** The declaration up to its body, on one line. */
  String signature(TSNode outer, TSNode node) {
    if (language.equals("python")) {
      // the header ends at its last part: comments may sit between it and the body
      int end = node.getStartByte();
      for (String part :
          List.of("name", "type_parameters", "parameters", "superclasses", "return_type")) {
        TSNode child = field(node, part);
        if (child != null) {
          end = Math.max(end, child.getEndByte());
        }
      }
      return Signatures.normalize(code(node, node.getStartByte(), end));
    }
    if (node.getType().equals("variable_declarator")) {
      // a constant reads as its declaration up to the value, which may be a whole object
      TSNode value = field(node, "value");
      int start =
          outer.getType().equals("export_statement")
              ? outer.getStartByte()
              : node.getParent().getStartByte();
      return Signatures.normalize(
          code(outer, start, value != null ? value.getStartByte() : node.getEndByte()));
    }
    TSNode declaration = outer.getType().equals("export_statement") ? outer : node;
    // a body ends the header; so does a class field's value, which may be a whole object
    TSNode body = field(node, "body");
    TSNode value = node.getType().endsWith("field_definition") ? field(node, "value") : null;
    int end =
        body != null
            ? body.getStartByte()
            : value != null ? value.getStartByte() : node.getEndByte();
    return Signatures.normalize(code(declaration, declaration.getStartByte(), end));
  }

  /**
   * The source between two offsets without the comments inside it: joined on one line, a line
   * comment would swallow the rest of a signature.
   */
  String code(TSNode scope, int start, int end) {
    List<int[]> comments = new ArrayList<>();
    collectComments(scope, start, end, comments);
    var out = new StringBuilder();
    int at = start;
    for (int[] comment : comments) {
      out.append(slice(at, comment[0])).append(' ');
      at = Math.max(at, comment[1]);
    }
    return out.append(slice(at, end)).toString();
  }

  void collectComments(TSNode node, int start, int end, List<int[]> out) {
    for (int i = 0; i < node.getNamedChildCount(); i++) {
      TSNode child = node.getNamedChild(i);
      if (child.getEndByte() <= start || child.getStartByte() >= end) {
        continue;
      }
      if (child.getType().contains("comment")) {
        out.add(
            new int[] {Math.max(start, child.getStartByte()), Math.min(end, child.getEndByte())});
      } else {
        collectComments(child, start, end, out);
      }
    }
  }

  /** The first sentence of the comments right above a node, markers stripped. */
  String comment(TSNode node) {
    List<String> lines = new ArrayList<>();
    TSNode current = node;
    TSNode previous = current.getPrevSibling();
    while (previous != null && !previous.isNull()) {
      String type = previous.getType();
      if (type.equals("attribute_item") || type.equals("attribute_list")) {
        current = previous;
        previous = current.getPrevSibling();
        continue;
      }
      if (!type.contains("comment")
          || current.getStartPoint().getRow() - previous.getEndPoint().getRow() > 1) {
        break;
      }
      lines.addFirst(text(previous));
      current = previous;
      previous = current.getPrevSibling();
    }
    String text =
        DocMarkup.markdown(
                String.join("\n", lines)
                    .replaceAll("(?m)^\\s*(/\\*+|\\*+/|\\*|//!|///?|#)", " ")
                    .replaceAll("\\*+/\\s*$", ""))
            .replaceAll("<[^>`]+>", " ");
    return DocText.firstSentence(text);
  }

  List<TSNode> named(TSNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    List<TSNode> children = new ArrayList<>(node.getNamedChildCount());
    for (int i = 0; i < node.getNamedChildCount(); i++) {
      children.add(node.getNamedChild(i));
    }
    return children;
  }

  /** Every named child in a {@code name} field: one declaration may name several things. */
  List<TSNode> names(TSNode node) {
    List<TSNode> names = new ArrayList<>();
    for (int i = 0; i < node.getNamedChildCount(); i++) {
      if ("name".equals(node.getFieldNameForNamedChild(i))) {
        names.add(node.getNamedChild(i));
      }
    }
    return names;
  }

  TSNode field(TSNode node, String name) {
    if (node == null || node.isNull()) {
      return null;
    }
    TSNode child = node.getChildByFieldName(name);
    return child == null || child.isNull() ? null : child;
  }

  TSNode last(TSNode node) {
    int count = node.getNamedChildCount();
    return count == 0 ? null : node.getNamedChild(count - 1);
  }

  String text(TSNode node) {
    return node == null || node.isNull() ? "" : slice(node.getStartByte(), node.getEndByte());
  }

  String slice(int start, int end) {
    int from = Math.clamp(start, 0, bytes.length);
    int to = Math.clamp(end, from, bytes.length);
    return new String(bytes, from, to - from, StandardCharsets.UTF_8);
  }
}
