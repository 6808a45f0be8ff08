package dev.autodoc.worker.docs.symbols;

import dev.autodoc.common.symbol.SymbolKind;
import org.treesitter.TSNode;

/**
 * The declarations of a C or C++ file, read through C's declarator grammar: a name sits under
 * pointers, references, arrays, qualifiers and parentheses, a function is a declarator with
 * parameters, a field may hold a function, and access sections decide what a class exports. The
 * file walk records what is found ({@link #add}) and where includes point ({@link #imported}).
 */
abstract class CDeclarations extends SyntaxText {
  CDeclarations(String language, byte[] bytes) {
    super(language, bytes);
  }

  /**
   * Records a declaration and returns its qualified name; {@code outer} is the node its doc comment
   * precedes, {@code doc} a docstring already read or null.
   */
  abstract String add(
      SymbolKind kind,
      String name,
      String container,
      TSNode outer,
      TSNode node,
      String doc,
      boolean exported);

  /** Records a file the source includes. */
  abstract void imported(String file);

  /**
   * Declarations of a translation unit, namespace or class body. {@code className} is set inside a
   * class, where access sections decide what is exported.
   */
  void c(TSNode body, String container, String className, boolean visible, boolean opensPublic) {
    boolean open = visible && opensPublic;
    for (TSNode node : named(body)) {
      String type = node.getType();
      if (type.equals("access_specifier")) {
        open = visible && text(node).startsWith("public");
        continue;
      }
      cDeclaration(node, node, container, className, open);
    }
  }

  private void cDeclaration(
      TSNode node, TSNode outer, String container, String className, boolean visible) {
    switch (node.getType()) {
      case "preproc_include" -> {
        TSNode included = field(node, "path");
        if (included != null) {
          imported(TreeSitterSymbolExtractor.unquote(text(included)));
        }
      }
      case "preproc_ifdef", "preproc_if", "preproc_else", "preproc_elif", "linkage_specification" ->
          c(
              node.getType().equals("linkage_specification") ? field(node, "body") : node,
              container,
              className,
              visible,
              true);
      case "declaration_list" -> c(node, container, className, visible, true);
      case "namespace_definition" -> {
        TSNode name = field(node, "name");
        c(
            field(node, "body"),
            name == null ? container : TreeSitterSymbolExtractor.qualify(container, text(name)),
            null,
            visible,
            true);
      }
      case "template_declaration" -> {
        for (TSNode inner : named(node)) {
          if (!inner.getType().equals("template_parameter_list")) {
            cDeclaration(inner, outer, container, className, visible);
          }
        }
      }
      case "function_definition", "declaration", "field_declaration" -> {
        boolean isStatic =
            named(node).stream()
                .anyMatch(
                    n -> n.getType().equals("storage_class_specifier") && text(n).equals("static"));
        TSNode function = functionDeclarator(field(node, "declarator"));
        if (function != null) {
          TSNode declarator = field(function, "declarator");
          // void (*advance)(TSLexer *) is a field holding a function, named advance
          boolean pointer = declarator.getType().equals("parenthesized_declarator");
          String name =
              pointer ? declaredName(declarator) : text(declarator).replaceAll("^.*::", "");
          SymbolKind kind =
              pointer
                  ? (className == null ? SymbolKind.CONSTANT : SymbolKind.FIELD)
                  : className == null
                      ? SymbolKind.FUNCTION
                      : name.equals(className) ? SymbolKind.CONSTRUCTOR : SymbolKind.METHOD;
          add(
              kind,
              name,
              container,
              outer,
              node,
              null,
              visible && (className != null || !isStatic));
        } else if (className != null && node.getType().equals("field_declaration")) {
          String name = declaredName(field(node, "declarator"));
          // code the parser could not read as a field (a macro it does not know) names nothing
          if (name.matches("[A-Za-z_$][\\w$]*")) {
            add(SymbolKind.FIELD, name, container, outer, node, null, visible);
          }
        } else {
          TSNode type = field(node, "type");
          if (type != null) {
            cDeclaration(type, outer, container, className, visible);
          }
        }
      }
      case "type_definition" -> {
        TSNode declarator = field(node, "declarator");
        TSNode type = field(node, "type");
        if (declarator != null && declarator.getType().equals("type_identifier")) {
          boolean struct =
              type != null && type.getType().endsWith("_specifier") && field(type, "body") != null;
          String name = text(declarator);
          String qualified =
              add(
                  struct ? kindOf(type) : SymbolKind.TYPE,
                  name,
                  container,
                  outer,
                  node,
                  null,
                  visible);
          if (struct && field(type, "name") == null) {
            c(field(type, "body"), qualified, name, visible, true);
          }
        }
      }
      case "struct_specifier", "union_specifier", "class_specifier", "enum_specifier" -> {
        TSNode name = field(node, "name");
        TSNode classBody = field(node, "body");
        if (name != null && classBody != null) {
          String simple = text(name).replaceAll("^.*::", "");
          String qualified = add(kindOf(node), simple, container, outer, node, null, visible);
          if (!node.getType().equals("enum_specifier")) {
            // class members are private until a public: section; struct members are public
            c(classBody, qualified, simple, visible, !node.getType().equals("class_specifier"));
          }
        }
      }
      default -> {}
    }
  }

  private SymbolKind kindOf(TSNode specifier) {
    return switch (specifier.getType()) {
      case "class_specifier" -> SymbolKind.CLASS;
      case "enum_specifier" -> SymbolKind.ENUM;
      default -> SymbolKind.STRUCT;
    };
  }

  /**
   * The name a declarator declares, under its pointers, arrays, qualifiers and parentheses: {@code
   * symbol_names} of {@code const char * const *symbol_names}; empty when there is none.
   */
  private String declaredName(TSNode declarator) {
    TSNode current = declarator;
    while (current != null) {
      switch (current.getType()) {
        case "identifier", "field_identifier", "type_identifier" -> {
          return text(current);
        }
        default -> {
          TSNode inner = field(current, "declarator");
          current = inner != null ? inner : last(current);
        }
      }
    }
    return "";
  }

  /** The function declarator under pointers and references, or null for a variable. */
  private TSNode functionDeclarator(TSNode declarator) {
    TSNode current = declarator;
    while (current != null) {
      switch (current.getType()) {
        case "function_declarator" -> {
          return current;
        }
        case "pointer_declarator", "reference_declarator", "attributed_declarator" -> {
          TSNode inner = field(current, "declarator");
          current = inner != null ? inner : last(current);
        }
        default -> {
          return null;
        }
      }
    }
    return null;
  }
}
