package dev.autodoc.worker.docs.symbols;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.EnumConstantDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.comments.JavadocComment;
import com.github.javaparser.ast.nodeTypes.NodeWithJavadoc;
import com.github.javaparser.ast.nodeTypes.NodeWithModifiers;
import com.github.javaparser.javadoc.description.JavadocDescription;
import dev.autodoc.common.symbol.SymbolKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Java declarations from JavaParser: types (nested included), constructors, methods, fields and
 * enum constants, with signatures, annotations, Javadoc summaries and lines. A declaration is
 * exported when it is public (or an interface member) inside exported types.
 */
public final class JavaSymbolExtractor implements SymbolExtractor {
  @Override
  public boolean reads(String language) {
    return "java".equals(language);
  }

  /**
   * A parser per file: a JavaParser keeps the state of the file it is parsing, and one worker
   * extracts several scopes at once, so a shared parser breaks mid-file.
   */
  private static JavaParser parser() {
    var configuration =
        new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.BLEEDING_EDGE);
    configuration
        .getProcessors()
        .removeIf(processor -> processor.get().getClass().getName().equals(LANGUAGE_LEVEL_CHECK));
    return new JavaParser(configuration);
  }

  /**
   * The processor that checks every parsed tree against the language level's rules and then
   * reshapes it ({@code var} in a method body becomes a type of its own). Both walk the whole tree,
   * bodies included, and took about 40 % of a parse (jackson-core's 136 files on two threads:
   * 0.9-1.2 s with them, 0.6-0.9 s without, on a warm JVM; 2.2-2.4 s and 1.5-2.0 s on a cold one).
   * Neither changes a declaration this extractor reads: the check only made a file that compiles
   * nowhere (a class with two superclasses, say) be documented by name. Should a new JavaParser
   * name this processor otherwise, it runs again and JavaSymbolExtractorTest says so.
   */
  private static final String LANGUAGE_LEVEL_CHECK = ParserConfiguration.class.getName() + "$2";

  @Override
  public Optional<SourceFile> extract(String path, String content, ParseBudget budget) {
    // JavaParser's tree lives on the heap and grows with the file: the size bounds it.
    budget.checkSize(content.length());
    // Declarations only: their bodies, most of a file, are left out of the parse.
    String hollowed = MethodBodies.hollow(content);
    var result = parser().parse(hollowed);
    if (!result.isSuccessful() && hollowed != content) {
      result = parser().parse(content);
    }
    if (!result.isSuccessful() || result.getResult().isEmpty()) {
      return Optional.empty();
    }
    CompilationUnit unit = result.getResult().get();
    String pkg = unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
    List<Symbol> symbols = new ArrayList<>();
    for (TypeDeclaration<?> type : unit.getTypes()) {
      type(type, pkg, pkg, true, path, new Declarations(symbols, budget));
    }
    List<String> imports = unit.getImports().stream().map(i -> i.getNameAsString()).toList();
    String summary =
        path.endsWith("package-info.java")
            ? unit.getPackageDeclaration()
                .flatMap(Node::getComment)
                .filter(c -> c instanceof JavadocComment)
                .map(c -> firstSentence(((JavadocComment) c).parse().getDescription()))
                .orElse("")
            : "";
    return Optional.of(new SourceFile(path, "java", pkg, summary, symbols, imports));
  }

  private void type(
      TypeDeclaration<?> type,
      String pkg,
      String container,
      boolean outerExported,
      String path,
      Declarations out) {
    String qualified =
        container.isEmpty() ? type.getNameAsString() : container + "." + type.getNameAsString();
    boolean exported = outerExported && (type.isPublic() || isInterfaceMember(type));
    SymbolKind kind =
        type.isEnumDeclaration()
            ? SymbolKind.ENUM
            : type.isRecordDeclaration()
                ? SymbolKind.RECORD
                : type.isAnnotationDeclaration()
                    ? SymbolKind.ANNOTATION
                    : type.isClassOrInterfaceDeclaration()
                            && type.asClassOrInterfaceDeclaration().isInterface()
                        ? SymbolKind.INTERFACE
                        : SymbolKind.CLASS;
    out.add(
        new Symbol(
            kind,
            type.getNameAsString(),
            qualified,
            container,
            header(type),
            summary(type),
            annotations(type),
            exported,
            path,
            line(type),
            endLine(type)));
    if (type.isEnumDeclaration()) {
      for (EnumConstantDeclaration constant : type.asEnumDeclaration().getEntries()) {
        out.add(
            new Symbol(
                SymbolKind.CONSTANT,
                constant.getNameAsString(),
                qualified + "." + constant.getNameAsString(),
                qualified,
                constant.getNameAsString(),
                summary(constant),
                annotations(constant),
                exported,
                path,
                line(constant),
                endLine(constant)));
      }
    }
    for (BodyDeclaration<?> member : type.getMembers()) {
      if (member instanceof TypeDeclaration<?> nested) {
        type(nested, pkg, qualified, exported, path, out);
      } else if (member instanceof CallableDeclaration<?> callable) {
        boolean visible = exported && (isPublic(callable) || isInterfaceMember(callable));
        SymbolKind memberKind =
            callable instanceof ConstructorDeclaration ? SymbolKind.CONSTRUCTOR : SymbolKind.METHOD;
        out.add(
            new Symbol(
                memberKind,
                callable.getNameAsString(),
                qualified + "." + callable.getNameAsString(),
                qualified,
                Signatures.normalize(callable.getDeclarationAsString(true, true, true)),
                summary(callable),
                annotations(callable),
                visible,
                path,
                line(callable),
                endLine(callable)));
      } else if (member instanceof FieldDeclaration field) {
        boolean visible = exported && (field.isPublic() || isInterfaceMember(field));
        for (var variable : field.getVariables()) {
          String signature =
              field.getModifiers().stream()
                      .map(m -> m.getKeyword().asString())
                      .reduce((a, b) -> a + " " + b)
                      .map(m -> m + " ")
                      .orElse("")
                  + variable.getTypeAsString()
                  + " "
                  + variable.getNameAsString();
          out.add(
              new Symbol(
                  SymbolKind.FIELD,
                  variable.getNameAsString(),
                  qualified + "." + variable.getNameAsString(),
                  qualified,
                  signature,
                  summary(field),
                  annotations(field),
                  visible,
                  path,
                  line(field),
                  endLine(field)));
        }
      }
    }
  }

  /** The declarations of one file, within its budget. */
  private record Declarations(List<Symbol> list, ParseBudget budget) {
    void add(Symbol symbol) {
      budget.add(list, symbol);
    }
  }

  private static boolean isPublic(NodeWithModifiers<?> node) {
    return node.getModifiers().stream().anyMatch(m -> m.getKeyword() == Modifier.Keyword.PUBLIC);
  }

  /** Members of interfaces and annotations are public without saying so. */
  private static boolean isInterfaceMember(Node node) {
    return node.getParentNode()
            .filter(
                p ->
                    p instanceof TypeDeclaration<?> t
                        && (t.isAnnotationDeclaration()
                            || t.isClassOrInterfaceDeclaration()
                                && t.asClassOrInterfaceDeclaration().isInterface()))
            .isPresent()
        && !(node instanceof NodeWithModifiers<?> m
            && m.getModifiers().stream().anyMatch(k -> k.getKeyword() == Modifier.Keyword.PRIVATE));
  }

  private static String header(TypeDeclaration<?> type) {
    // Cloned without its members, which are put back at once: a clone with them copied the whole
    // body of every type, and took a tenth of the extraction.
    var members = type.getMembers();
    type.setMembers(new NodeList<>());
    String text;
    try {
      text = type.clone().removeComment().toString();
    } finally {
      type.setMembers(members);
    }
    int brace = text.indexOf('{');
    String header = (brace > 0 ? text.substring(0, brace) : text).strip();
    return Signatures.normalize(header);
  }

  private static String summary(Node node) {
    if (node instanceof NodeWithJavadoc<?> documented) {
      return documented.getJavadoc().map(doc -> firstSentence(doc.getDescription())).orElse("");
    }
    return "";
  }

  private static final Pattern HTML_TAG = Pattern.compile("<[^>`]+>");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /** The first sentence of a Javadoc description, as plain text on one line. */
  static String firstSentence(JavadocDescription description) {
    String text =
        SPACES
            .matcher(HTML_TAG.matcher(DocMarkup.markdown(description.toText())).replaceAll(""))
            .replaceAll(" ")
            .strip();
    int end = -1;
    for (int i = 0; i < text.length() - 1; i++) {
      if (text.charAt(i) == '.' && Character.isWhitespace(text.charAt(i + 1))) {
        end = i + 1;
        break;
      }
    }
    return end > 0 ? text.substring(0, end) : text;
  }

  private static List<String> annotations(Node node) {
    if (node instanceof com.github.javaparser.ast.nodeTypes.NodeWithAnnotations<?> annotated) {
      return annotated.getAnnotations().stream().map(a -> a.getNameAsString()).toList();
    }
    return List.of();
  }

  private static int line(Node node) {
    return node.getBegin().map(p -> p.line).orElse(1);
  }

  private static int endLine(Node node) {
    return node.getEnd().map(p -> p.line).orElse(line(node));
  }
}
