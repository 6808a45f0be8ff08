package dev.autodoc.worker.docs.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.nodeTypes.NodeWithJavadoc;
import com.github.javaparser.ast.nodeTypes.NodeWithSimpleName;
import dev.autodoc.worker.docs.RealCode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class MethodBodiesTest {
  @Test
  void methodAndConstructorBodiesAreEmptiedAndEveryLineKept() {
    String source =
        """
        class A<T> {
          A() { super(); }
          <R> R map(java.util.function.Function<T, R> f) throws java.io.IOException {
            return f.apply(null);
          }
          interface B {
            default void run() { System.out.println("}"); }
          }
        }
        """;
    assertThat(MethodBodies.hollow(source))
        .isEqualTo(
            String.join(
                "\n",
                "class A<T> {",
                "  A() {}",
                "  <R> R map(java.util.function.Function<T, R> f) throws java.io.IOException {",
                "",
                "}",
                "  interface B {",
                "    default void run() {}",
                "  }",
                "}",
                ""));
  }

  @Test
  void blocksThatAreNotMethodBodiesAreKeptWhole() {
    String source =
        """
        enum E {
          ONE(1) { int n() { return 1; } }, TWO { int n() { return 2; } };
          static { init(); }
          { instance(); }
          Runnable r = () -> { go(); };
          Object o = new Object() { public String toString() { return "o"; } };
          int[] a = {1, 2};
          E(int n) { this.n = n; }
          E() { this(0); }
        }
        @interface Names { String[] value() default {"x"}; }
        record Point(int x, int y) { Point { check(x); } int sum() { return x + y; } }
        """;
    String hollowed = MethodBodies.hollow(source);
    assertThat(hollowed)
        .contains("ONE(1) { int n() { return 1; } }, TWO { int n() { return 2; } };")
        .contains("static { init(); }")
        .contains("{ instance(); }")
        .contains("Runnable r = () -> { go(); };")
        .contains("new Object() { public String toString() { return \"o\"; } };")
        .contains("int[] a = {1, 2};")
        .contains("E(int n) {}")
        .contains("E() {}")
        .contains("default {\"x\"};")
        .contains("Point { check(x); }")
        .contains("int sum() {}");
  }

  @Test
  void literalsCommentsAndKeywordLookalikesDoNotMisleadTheScan() {
    String source =
        """
        // A comment that ends the way a qualified name does, Foo.
        @Target(Foo.class) // a comment with a brace {
        class C {
          /* { */ String s = "{"; char c = '}'; String t = \"""
            } text block { \\\"""
            \""";
          @Ann(type = Bar.class) void record(String s) { if (s.equals("}")) { return; } }
          void m() { char q = '\\''; String e = "\\"{"; }
        }
        """;
    String hollowed = MethodBodies.hollow(source);
    assertThat(hollowed)
        .contains("/* { */ String s = \"{\"; char c = '}';")
        .contains("} text block {")
        .contains("void record(String s) {}")
        .contains("void m() {}")
        .endsWith("}\n");
    assertThat(hollowed.lines().count()).isEqualTo(source.lines().count());
    assertThat(parse(hollowed)).isNotNull();
  }

  @Test
  void aSourceTheScanCannotFollowIsReturnedUnchanged() {
    String unicode = "class U { void m() { String s = \"\\u0022; } }";
    String unbalanced = "class V { void m() { }";
    String escapedBackslash = "class W { void m() { String s = \"\\\\u0022\"; } }";
    assertThat(MethodBodies.hollow(unicode)).isSameAs(unicode);
    assertThat(MethodBodies.hollow(unbalanced)).isSameAs(unbalanced);
    assertThat(MethodBodies.hollow(escapedBackslash)).isEqualTo("class W { void m() {} }");
    String harmlessEscape =
        "class X { char NUL = '\\u0000'; void m() { String s = \"\\u00e9\"; } }";
    assertThat(MethodBodies.hollow(harmlessEscape))
        .isEqualTo("class X { char NUL = '\\u0000'; void m() {} }");
  }

  /**
   * Published libraries keep every declaration outside a method body, with its lines, signature and
   * Javadoc, as JavaParser reads them from the whole file; and most of their text is gone.
   */
  @Test
  void publishedCodeKeepsEveryDeclarationLineAndJavadoc() throws IOException {
    long whole = 0;
    long hollowed = 0;
    int files = 0;
    for (String library : List.of("commons-cli", "gson")) {
      var root = RealCode.root(library);
      for (String file : RealCode.files(library)) {
        if (!file.endsWith(".java")) {
          continue;
        }
        String source = Files.readString(root.resolve(file));
        String hollow = MethodBodies.hollow(source);
        assertThat(hollow.lines().count()).as(file).isEqualTo(source.lines().count());
        assertThat(declarations(parse(hollow))).as(file).isEqualTo(declarations(parse(source)));
        whole += source.length();
        hollowed += hollow.length();
        files++;
      }
    }
    assertThat(files).isGreaterThan(100);
    // Both are mostly Javadoc: their method bodies are about a third of their text.
    assertThat(hollowed).isLessThan(whole * 8 / 10);
  }

  private static CompilationUnit parse(String source) {
    var result =
        new JavaParser(
                new ParserConfiguration()
                    .setLanguageLevel(ParserConfiguration.LanguageLevel.BLEEDING_EDGE))
            .parse(source);
    assertThat(result.getProblems()).isEmpty();
    return result.getResult().orElseThrow();
  }

  /** Every declaration not inside a method or constructor, as the extractor could read it. */
  private static List<String> declarations(CompilationUnit unit) {
    return unit.findAll(BodyDeclaration.class).stream()
        .filter(d -> d.findAncestor(CallableDeclaration.class).isEmpty())
        .map(MethodBodiesTest::describe)
        .toList();
  }

  private static String describe(BodyDeclaration<?> declaration) {
    String name = declaration instanceof NodeWithSimpleName<?> named ? named.getNameAsString() : "";
    String signature =
        declaration instanceof CallableDeclaration<?> callable
            ? callable.getDeclarationAsString(true, true, true)
            : "";
    String javadoc =
        declaration instanceof NodeWithJavadoc<?> documented
            ? documented.getJavadoc().map(j -> j.toText()).orElse("")
            : "";
    return declaration.getClass().getSimpleName()
        + " "
        + name
        + " "
        + signature
        + " "
        + declaration.getBegin().map(p -> p.line).orElse(0)
        + "-"
        + declaration.getEnd().map(p -> p.line).orElse(0)
        + " "
        + javadoc
        + " "
        + declaration.getAnnotations().stream().map(Node::toString).toList();
  }
}
