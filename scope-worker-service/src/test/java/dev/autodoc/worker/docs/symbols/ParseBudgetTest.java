package dev.autodoc.worker.docs.symbols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A file that would take more work than the budget is refused with its reason, in any parser. */
class ParseBudgetTest {
  private static final List<SymbolExtractor> EXTRACTORS = SymbolExtractor.all();

  private static String functions(String language, int count) {
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < count; i++) {
      code.append(
          switch (language) {
            case "python" -> "def f" + i + "():\n    pass\n";
            case "go" -> "func F" + i + "() {}\n";
            case "java" -> "";
            default -> throw new IllegalArgumentException(language);
          });
    }
    if (language.equals("go")) {
      return "package many\n" + code;
    }
    if (language.equals("java")) {
      StringBuilder java = new StringBuilder("package many;\npublic class Many {\n");
      for (int i = 0; i < count; i++) {
        java.append("  public void f").append(i).append("() {}\n");
      }
      return java.append("}\n").toString();
    }
    return code.toString();
  }

  private static SymbolExtractor extractor(String language) {
    return SymbolExtractor.forLanguage(EXTRACTORS, language).orElseThrow();
  }

  @Test
  void aFileDeclaringMoreThanTheBudgetIsRefusedInEveryParser() {
    var budget = new ParseBudget(64L << 20, 1_000, Duration.ofMinutes(1));
    for (String language : List.of("python", "go", "java")) {
      String code = functions(language, 2_000);
      assertThatThrownBy(() -> extractor(language).extract("many", code, budget))
          .as(language)
          .isInstanceOfSatisfying(
              ParseBudget.Exceeded.class,
              e -> assertThat(e.reason()).isEqualTo(ParseBudget.TOO_MANY_DECLARATIONS))
          .hasMessageContaining("more than 1000 declarations");
      // Within the budget, the same parser reads it all.
      assertThat(extractor(language).extract("many", functions(language, 900), budget))
          .get()
          .satisfies(f -> assertThat(f.symbols()).hasSizeGreaterThanOrEqualTo(900));
    }
  }

  @Test
  void aFileNestedDeeperThanTheParsersStackIsRefusedAndTheNextFileStillParses() {
    var budget = ParseBudget.DEFAULT;
    int depth = 50_000;
    String deep =
        "package deep;\npublic class Deep {\n  static Object[] DATA = "
            + "{".repeat(depth)
            + "1"
            + "}".repeat(depth)
            + ";\n}\n";
    assertThatThrownBy(
            () ->
                ParseBudget.withinStack(() -> extractor("java").extract("Deep.java", deep, budget)))
        .isInstanceOfSatisfying(
            ParseBudget.Exceeded.class, e -> assertThat(e.reason()).isEqualTo(ParseBudget.TOO_DEEP))
        .hasMessageContaining("nested too deeply");
    // The same nesting, shallow, parses; and so does the next file.
    String shallow = deep.replace("{".repeat(depth), "{{").replace("}".repeat(depth), "}}");
    assertThat(
            ParseBudget.withinStack(() -> extractor("java").extract("Deep.java", shallow, budget)))
        .get()
        .satisfies(f -> assertThat(f.symbols()).isNotEmpty());
  }

  @Test
  void aFileLargerThanTheBudgetIsNotParsed() {
    var budget = new ParseBudget(10_000, 5_000, Duration.ofMinutes(1));
    String code = functions("python", 2_000);
    assertThatThrownBy(() -> extractor("python").extract("big.py", code, budget))
        .isInstanceOfSatisfying(
            ParseBudget.Exceeded.class,
            e -> assertThat(e.reason()).isEqualTo(ParseBudget.TOO_LARGE));
  }

  @Test
  void aParseThatTakesLongerThanTheBudgetIsStopped() {
    var budget = new ParseBudget(64L << 20, Integer.MAX_VALUE, Duration.ofMillis(20));
    String code = functions("python", 300_000);
    long start = System.nanoTime();
    assertThatThrownBy(() -> extractor("python").extract("slow.py", code, budget))
        .isInstanceOfSatisfying(
            ParseBudget.Exceeded.class, e -> assertThat(e.reason()).isEqualTo(ParseBudget.TIMEOUT));
    System.out.printf(
        "a 300,000-function file stopped after %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }
}
