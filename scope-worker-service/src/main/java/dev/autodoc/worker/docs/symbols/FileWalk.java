package dev.autodoc.worker.docs.symbols;

import static dev.autodoc.worker.docs.symbols.TreeSitterSymbolExtractor.capitalised;
import static dev.autodoc.worker.docs.symbols.TreeSitterSymbolExtractor.fileModule;
import static dev.autodoc.worker.docs.symbols.TreeSitterSymbolExtractor.qualify;
import static dev.autodoc.worker.docs.symbols.TreeSitterSymbolExtractor.unquote;

import dev.autodoc.common.symbol.SymbolKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.treesitter.TSNode;

/**
 * The walk of one parsed file of a tree-sitter language: its module, summary, imports and
 * declarations, by each language's rules ({@link TreeSitterSymbolExtractor} says which).
 */
final class FileWalk extends CDeclarations {
  private final String path;
  private final ParseBudget budget;
  final String module;
  private final String moduleName;
  private final String fileModule;
  final List<Symbol> symbols = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  final List<String> imports = new ArrayList<>();
  String summary = "";

  FileWalk(String language, String path, byte[] bytes, ParseBudget budget) {
    super(language, bytes);
    this.path = path;
    this.budget = budget;
    int slash = path.lastIndexOf('/');
    this.module = slash < 0 ? "" : path.substring(0, slash);
    this.moduleName = module.replace('/', '.');
    this.fileModule = fileModule(moduleName, path.substring(slash + 1));
  }

  void walk(TSNode root) {
    switch (language) {
      case "python" -> python(root);
      case "javascript", "typescript" -> script(root);
      case "go" -> go(root);
      case "rust" -> {
        summary = header(root);
        rust(root, fileModule, true);
      }
      case "c", "cpp" -> c(root, fileModule, null, true, true);
      case "csharp" -> csharp(root, moduleName, true);
      default -> throw new IllegalStateException(language);
    }
  }

  // ---------------------------------------------------------------- Python

  private void python(TSNode root) {
    summary = docstring(root);
    for (TSNode node : named(root)) {
      switch (node.getType()) {
        case "import_statement" ->
            named(node)
                .forEach(
                    n ->
                        imports.add(
                            text(n.getType().equals("aliased_import") ? field(n, "name") : n)));
        case "import_from_statement" -> {
          String from = text(field(node, "module_name"));
          if (from.matches("\\.+")) {
            for (TSNode name : names(node)) {
              imports.add(
                  from
                      + text(name.getType().equals("aliased_import") ? field(name, "name") : name));
            }
          } else {
            imports.add(from);
          }
        }
        default -> pythonDeclaration(node, node, fileModule, true, false);
      }
    }
  }

  private void pythonDeclaration(
      TSNode node, TSNode outer, String container, boolean visible, boolean inClass) {
    if (node.getType().equals("decorated_definition")) {
      pythonDeclaration(field(node, "definition"), node, container, visible, inClass);
      return;
    }
    if (node.getType().equals("class_definition")) {
      String name = text(field(node, "name"));
      boolean exported = visible && !name.startsWith("_");
      String qualified =
          add(
              SymbolKind.CLASS,
              name,
              container,
              outer,
              node,
              docstring(field(node, "body")),
              exported);
      for (TSNode member : named(field(node, "body"))) {
        pythonDeclaration(member, member, qualified, exported, true);
      }
    } else if (node.getType().equals("function_definition")) {
      String name = text(field(node, "name"));
      boolean constructor = inClass && name.equals("__init__");
      boolean exported = visible && (constructor || !name.startsWith("_"));
      SymbolKind kind =
          constructor ? SymbolKind.CONSTRUCTOR : inClass ? SymbolKind.METHOD : SymbolKind.FUNCTION;
      add(kind, name, container, outer, node, docstring(field(node, "body")), exported);
    } else if (!inClass && node.getType().equals("expression_statement")) {
      TSNode assignment = node.getNamedChildCount() == 1 ? node.getNamedChild(0) : null;
      if (assignment != null && assignment.getType().equals("assignment")) {
        TSNode left = field(assignment, "left");
        String name = text(left);
        if (left.getType().equals("identifier") && name.matches("[A-Z][A-Z0-9_]*")) {
          add(SymbolKind.CONSTANT, name, container, node, node, "", visible);
        }
      }
    }
  }

  // ------------------------------------------------------ JavaScript, TypeScript

  private void script(TSNode root) {
    summary = header(root);
    boolean esExports = named(root).stream().anyMatch(n -> n.getType().equals("export_statement"));
    collectRequires(root);
    for (TSNode node : named(root)) {
      switch (node.getType()) {
        case "import_statement" -> imports.add(unquote(text(field(node, "source"))));
        case "export_statement" -> {
          TSNode source = field(node, "source");
          if (source != null) {
            imports.add(unquote(text(source)));
          }
          TSNode declaration = field(node, "declaration");
          if (declaration != null) {
            scriptDeclaration(declaration, node, true);
          }
        }
        default -> scriptDeclaration(node, node, !esExports);
      }
    }
  }

  private void scriptDeclaration(TSNode node, TSNode outer, boolean exported) {
    String type = node.getType();
    switch (type) {
      case "class_declaration", "abstract_class_declaration", "class", "interface_declaration" -> {
        if (field(node, "name") == null) {
          return;
        }
        SymbolKind kind =
            type.equals("interface_declaration") ? SymbolKind.INTERFACE : SymbolKind.CLASS;
        String qualified = declared(kind, node, fileModule, outer, exported);
        for (TSNode member : named(field(node, "body"))) {
          scriptMember(member, qualified, exported);
        }
      }
      case "enum_declaration" -> declared(SymbolKind.ENUM, node, fileModule, outer, exported);
      case "type_alias_declaration" -> declared(SymbolKind.TYPE, node, fileModule, outer, exported);
      case "function_declaration",
          "generator_function_declaration",
          "function_signature",
          "function" ->
          declared(SymbolKind.FUNCTION, node, fileModule, outer, exported);
      case "lexical_declaration", "variable_declaration" -> {
        for (TSNode declarator : named(node)) {
          TSNode name = field(declarator, "name");
          if (declarator.getType().equals("variable_declarator")
              && name != null
              && name.getType().equals("identifier")) {
            TSNode value = field(declarator, "value");
            boolean function =
                value != null
                    && (value.getType().equals("arrow_function")
                        || value.getType().endsWith("function_expression")
                        || value.getType().equals("function"));
            add(
                function ? SymbolKind.FUNCTION : SymbolKind.CONSTANT,
                text(name),
                fileModule,
                outer,
                declarator,
                null,
                exported);
          }
        }
      }
      default -> {}
    }
  }

  private void scriptMember(TSNode member, String container, boolean visible) {
    String type = member.getType();
    SymbolKind kind =
        switch (type) {
          case "method_definition", "method_signature", "abstract_method_signature" ->
              SymbolKind.METHOD;
          case "public_field_definition", "field_definition", "property_signature" ->
              SymbolKind.FIELD;
          default -> null;
        };
    if (kind == null) {
      return;
    }
    TSNode nameNode = field(member, "name");
    if (nameNode == null) {
      nameNode = field(member, "property");
    }
    if (nameNode == null) {
      return;
    }
    String name = text(nameNode);
    boolean hidden =
        name.startsWith("#")
            || named(member).stream()
                .anyMatch(
                    n -> n.getType().equals("accessibility_modifier") && !text(n).equals("public"));
    if (name.equals("constructor")) {
      kind = SymbolKind.CONSTRUCTOR;
    }
    add(kind, name, container, member, member, null, visible && !hidden);
  }

  private void collectRequires(TSNode node) {
    if (node.getType().equals("call_expression")
        && "require".equals(text(field(node, "function")))) {
      TSNode arguments = field(node, "arguments");
      if (arguments != null
          && arguments.getNamedChildCount() == 1
          && arguments.getNamedChild(0).getType().equals("string")) {
        imports.add(unquote(text(arguments.getNamedChild(0))));
      }
      return;
    }
    for (TSNode child : named(node)) {
      collectRequires(child);
    }
  }

  // -------------------------------------------------------------------- Go

  private void go(TSNode root) {
    for (TSNode node : named(root)) {
      switch (node.getType()) {
        case "package_clause" -> {
          String doc = comment(node);
          if (doc.startsWith("Package ")) {
            summary = doc;
          }
        }
        case "import_declaration" -> goImports(node);
        case "function_declaration" -> {
          String name = text(field(node, "name"));
          add(SymbolKind.FUNCTION, name, moduleName, node, node, null, capitalised(name));
        }
        case "method_declaration" -> {
          TSNode receivers = field(node, "receiver");
          if (receivers == null || receivers.getNamedChildCount() == 0) {
            break;
          }
          String receiver =
              text(field(receivers.getNamedChild(0), "type"))
                  .replaceAll("^\\*", "")
                  .replaceAll("\\[.*$", "");
          String name = text(field(node, "name"));
          add(
              SymbolKind.METHOD,
              name,
              qualify(moduleName, receiver),
              node,
              node,
              null,
              capitalised(receiver) && capitalised(name));
        }
        case "type_declaration" -> {
          for (TSNode spec : named(node)) {
            if (spec.getType().equals("type_spec") || spec.getType().equals("type_alias")) {
              goType(spec, named(node).size() == 1 ? node : spec);
            }
          }
        }
        case "const_declaration", "var_declaration" -> {
          for (TSNode spec : named(node)) {
            for (TSNode nameNode : names(spec)) {
              String name = text(nameNode);
              add(
                  SymbolKind.CONSTANT,
                  name,
                  moduleName,
                  named(node).size() == 1 ? node : spec,
                  spec,
                  null,
                  capitalised(name));
            }
          }
        }
        default -> {}
      }
    }
  }

  private void goType(TSNode spec, TSNode outer) {
    String name = text(field(spec, "name"));
    TSNode type = field(spec, "type");
    String typeKind = type == null ? "" : type.getType();
    SymbolKind kind =
        switch (typeKind) {
          case "struct_type" -> SymbolKind.STRUCT;
          case "interface_type" -> SymbolKind.INTERFACE;
          default -> SymbolKind.TYPE;
        };
    boolean exported = capitalised(name);
    String qualified = add(kind, name, moduleName, outer, spec, null, exported);
    if (kind == SymbolKind.STRUCT) {
      for (TSNode list : named(type)) {
        for (TSNode field : named(list)) {
          if (field.getType().equals("field_declaration")) {
            for (TSNode nameNode : names(field)) {
              String fieldName = text(nameNode);
              add(
                  SymbolKind.FIELD,
                  fieldName,
                  qualified,
                  field,
                  field,
                  null,
                  exported && capitalised(fieldName));
            }
          }
        }
      }
    } else if (kind == SymbolKind.INTERFACE) {
      for (TSNode method : named(type)) {
        if (method.getType().equals("method_elem") || method.getType().equals("method_spec")) {
          String methodName = text(field(method, "name"));
          add(
              SymbolKind.METHOD,
              methodName,
              qualified,
              method,
              method,
              null,
              exported && capitalised(methodName));
        }
      }
    }
  }

  private void goImports(TSNode node) {
    for (TSNode child : named(node)) {
      if (child.getType().equals("import_spec")) {
        imports.add(unquote(text(field(child, "path"))));
      } else if (child.getType().equals("import_spec_list")) {
        goImports(child);
      }
    }
  }

  // ------------------------------------------------------------------ Rust

  private void rust(TSNode body, String container, boolean visible) {
    for (TSNode node : named(body)) {
      String type = node.getType();
      boolean pub = visible && isPub(node);
      switch (type) {
        case "use_declaration" -> imports.add(text(field(node, "argument")));
        case "function_item", "function_signature_item" ->
            declared(SymbolKind.FUNCTION, node, container, node, pub);
        case "struct_item", "union_item" -> declared(SymbolKind.STRUCT, node, container, node, pub);
        case "enum_item" -> declared(SymbolKind.ENUM, node, container, node, pub);
        case "type_item" -> declared(SymbolKind.TYPE, node, container, node, pub);
        case "const_item", "static_item" ->
            declared(SymbolKind.CONSTANT, node, container, node, pub);
        case "trait_item" -> {
          String qualified = declared(SymbolKind.TRAIT, node, container, node, pub);
          for (TSNode member : named(field(node, "body"))) {
            if (member.getType().startsWith("function_")) {
              declared(SymbolKind.METHOD, member, qualified, member, pub);
            }
          }
        }
        case "impl_item" -> {
          if (field(node, "trait") != null) {
            break; // trait methods are documented with the trait
          }
          String self = text(field(node, "type")).replaceAll("<.*$", "");
          String qualified = qualify(container, self);
          for (TSNode member : named(field(node, "body"))) {
            if (member.getType().equals("function_item")) {
              declared(SymbolKind.METHOD, member, qualified, member, visible && isPub(member));
            }
          }
        }
        case "mod_item" -> {
          TSNode modBody = field(node, "body");
          if (modBody != null) {
            rust(modBody, qualify(container, text(field(node, "name"))), pub);
          }
        }
        default -> {}
      }
    }
  }

  private boolean isPub(TSNode node) {
    return named(node).stream()
        .anyMatch(n -> n.getType().equals("visibility_modifier") && text(n).startsWith("pub"));
  }

  // -------------------------------------------------------------------- C#

  private void csharp(TSNode body, String container, boolean visible) {
    for (TSNode node : named(body)) {
      String type = node.getType();
      switch (type) {
        case "using_directive" -> {
          TSNode name = last(node);
          if (name != null) {
            imports.add(text(name));
          }
        }
        case "namespace_declaration" ->
            csharp(field(node, "body"), qualify(container, text(field(node, "name"))), visible);
        case "file_scoped_namespace_declaration" -> {
          String namespace = qualify(container, text(field(node, "name")));
          csharp(node, namespace, visible);
        }
        default -> csharpType(node, container, visible);
      }
    }
  }

  private void csharpType(TSNode node, String container, boolean visible) {
    String type = node.getType();
    SymbolKind kind =
        switch (type) {
          case "class_declaration" -> SymbolKind.CLASS;
          case "struct_declaration" -> SymbolKind.STRUCT;
          case "interface_declaration" -> SymbolKind.INTERFACE;
          case "enum_declaration" -> SymbolKind.ENUM;
          case "record_declaration" -> SymbolKind.RECORD;
          default -> null;
        };
    if (kind == null) {
      return;
    }
    boolean exported = visible && hasModifier(node, "public");
    String qualified = declared(kind, node, container, node, exported);
    csharpMembers(field(node, "body"), qualified, exported, kind == SymbolKind.INTERFACE);
  }

  private void csharpMembers(TSNode body, String container, boolean visible, boolean iface) {
    for (TSNode member : named(body)) {
      boolean exported = visible && (iface || hasModifier(member, "public"));
      switch (member.getType()) {
        case "method_declaration" ->
            declared(SymbolKind.METHOD, member, container, member, exported);
        case "constructor_declaration" ->
            declared(SymbolKind.CONSTRUCTOR, member, container, member, exported);
        case "property_declaration" ->
            declared(SymbolKind.FIELD, member, container, member, exported);
        case "enum_member_declaration" ->
            declared(SymbolKind.CONSTANT, member, container, member, visible);
        case "field_declaration" -> {
          for (TSNode variable : named(member)) {
            if (variable.getType().equals("variable_declaration")) {
              for (TSNode declarator : named(variable)) {
                if (declarator.getType().equals("variable_declarator")) {
                  TSNode name = field(declarator, "name");
                  add(
                      SymbolKind.FIELD,
                      text(name != null ? name : declarator.getNamedChild(0)),
                      container,
                      member,
                      member,
                      null,
                      exported);
                }
              }
            }
          }
        }
        default -> csharpType(member, container, visible);
      }
    }
  }

  private boolean hasModifier(TSNode node, String modifier) {
    return named(node).stream()
        .anyMatch(n -> n.getType().equals("modifier") && text(n).equals(modifier));
  }

  // ---------------------------------------------------------------- shared

  /** Records a declaration named by its {@code name} field; see {@link #add}. */
  private String declared(
      SymbolKind kind, TSNode node, String container, TSNode outer, boolean exported) {
    return add(kind, text(field(node, "name")), container, outer, node, null, exported);
  }

  /**
   * Records a declaration once per file (overloads and prototype-then-definition keep the first; a
   * type declared twice, as by {@code typedef struct X X;} and {@code struct X {...}}, is left to
   * {@link Declarations#unify}, which keeps the one with the body) and returns its qualified name.
   * {@code outer} is the node its doc comment precedes; {@code doc} is a docstring already read, or
   * null to read the comment.
   */
  @Override
  void imported(String file) {
    imports.add(file);
  }

  @Override
  String add(
      SymbolKind kind,
      String name,
      String container,
      TSNode outer,
      TSNode node,
      String doc,
      boolean exported) {
    String qualified = qualify(container, name);
    if (name.isEmpty() || (!kind.isType() && !seen.add(qualified))) {
      return qualified;
    }
    budget.add(
        symbols,
        new Symbol(
            kind,
            name,
            qualified,
            container,
            signature(outer, node),
            doc != null ? doc : comment(outer),
            List.of(),
            exported,
            path,
            node.getStartPoint().getRow() + 1,
            Math.max(node.getEndPoint().getRow(), outer.getEndPoint().getRow()) + 1));
    return qualified;
  }
}
