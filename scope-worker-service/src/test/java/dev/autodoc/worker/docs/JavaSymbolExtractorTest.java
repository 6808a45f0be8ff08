package dev.autodoc.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.symbol.SymbolKind;
import dev.autodoc.worker.docs.symbols.JavaSymbolExtractor;
import dev.autodoc.worker.docs.symbols.SourceFile;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JavaSymbolExtractorTest {
  private static final List<SourceFile> CLI = RealCode.sources("commons-cli");
  private static final Map<String, Symbol> BY_NAME =
      CLI.stream()
          .flatMap(f -> f.symbols().stream())
          .collect(Collectors.toMap(Symbol::qualifiedName, Function.identity(), (a, b) -> a));

  @Test
  void everyJavaFileOfCommonsCliParses() {
    assertThat(CLI)
        .hasSize(
            (int) RealCode.files("commons-cli").stream().filter(f -> f.endsWith(".java")).count());
    assertThat(CLI).allSatisfy(f -> assertThat(f.module()).isEqualTo("org.apache.commons.cli"));
  }

  @Test
  void oneExtractorServesScopesExtractedAtTheSameTime() throws Exception {
    // A worker documents several scopes at once with one extractor.
    var extractor = new JavaSymbolExtractor();
    var root = RealCode.root("commons-cli");
    List<String> files =
        RealCode.files("commons-cli").stream().filter(f -> f.endsWith(".java")).sorted().toList();
    java.util.concurrent.Callable<List<String>> extractAll =
        () -> {
          List<String> names = new java.util.ArrayList<>();
          for (int round = 0; round < 5; round++) {
            for (String file : files) {
              extractor
                  .extract(file, java.nio.file.Files.readString(root.resolve(file)))
                  .orElseThrow()
                  .symbols()
                  .forEach(s -> names.add(s.qualifiedName()));
            }
          }
          return names;
        };
    List<String> alone = extractAll.call();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      var results = pool.invokeAll(List.of(extractAll, extractAll, extractAll, extractAll));
      for (var result : results) {
        assertThat(result.get()).isEqualTo(alone);
      }
    }
  }

  @Test
  void typesCarryTheirKindSignatureJavadocSummaryAndLine() {
    Symbol options = BY_NAME.get("org.apache.commons.cli.Options");
    assertThat(options.kind()).isEqualTo(SymbolKind.CLASS);
    assertThat(options.exported()).isTrue();
    assertThat(options.signature())
        .startsWith("public class Options")
        .contains("implements Serializable")
        .doesNotContain("{");
    assertThat(options.summary()).isNotBlank().endsWith(".");
    assertThat(options.file()).isEqualTo("org/apache/commons/cli/Options.java");
    assertThat(options.line()).isGreaterThan(1);
    assertThat(BY_NAME.get("org.apache.commons.cli.CommandLineParser").kind())
        .isEqualTo(SymbolKind.INTERFACE);
  }

  @Test
  void membersNestedTypesAndVisibilityAreRead() {
    Symbol addOption = BY_NAME.get("org.apache.commons.cli.Options.addOption");
    assertThat(addOption.kind()).isEqualTo(SymbolKind.METHOD);
    assertThat(addOption.signature()).startsWith("public Options addOption(");
    assertThat(addOption.exported()).isTrue();
    Symbol builder = BY_NAME.get("org.apache.commons.cli.Option.Builder");
    assertThat(builder.kind()).isEqualTo(SymbolKind.CLASS);
    assertThat(builder.container()).isEqualTo("org.apache.commons.cli.Option");
    // Interface methods are public without saying so.
    assertThat(BY_NAME.get("org.apache.commons.cli.CommandLineParser.parse").exported()).isTrue();
    assertThat(
            CLI.stream()
                .flatMap(f -> f.symbols().stream())
                .filter(s -> s.signature().startsWith("private")))
        .allSatisfy(s -> assertThat(s.exported()).isFalse());
  }

  @Test
  void aFileThatDoesNotParseGivesNothingRatherThanGuesses() {
    assertThat(new JavaSymbolExtractor().extract("Broken.java", "public class Broken { void x( }"))
        .isEmpty();
  }

  /**
   * Method bodies are left out of the parse: a body in a syntax the parser does not know does not
   * hide the file's declarations, which keep their lines.
   */
  @Test
  void aMethodBodyTheParserCannotReadDoesNotHideTheDeclarations() {
    String source =
        "package p;\npublic class Odd {\n  /** Runs. */\n  public void run() {\n"
            + "    int x = ;\n  }\n  public int size() { return 1; }\n}\n";
    var file = new JavaSymbolExtractor().extract("Odd.java", source);
    assertThat(file).isPresent();
    assertThat(file.get().symbols())
        .extracting(s -> s.name() + ":" + s.line() + "-" + s.endLine() + ":" + s.signature())
        .containsExactly(
            "Odd:2-8:public class Odd", "run:4-6:public void run()", "size:7-7:public int size()");
  }

  /**
   * The language level's check is left out (it took 40 % of a parse): a file that parses but breaks
   * a rule of the language (a class with two superclasses) still has its declarations read.
   */
  @Test
  void aFileThatParsesButBreaksALanguageRuleIsStillRead() {
    String source =
        "package p;\n/** Two parents. */\npublic class Both extends A, B {\n"
            + "  /** Runs. */\n  public void run() { var x = 1; java.util.function.IntUnaryOperator f = (var y) -> y; }\n}\n";
    var file = new JavaSymbolExtractor().extract("Both.java", source);
    assertThat(file).isPresent();
    assertThat(file.get().symbols())
        .extracting(s -> s.name() + ":" + s.summary())
        .containsExactly("Both:Two parents.", "run:Runs.");
  }
}
