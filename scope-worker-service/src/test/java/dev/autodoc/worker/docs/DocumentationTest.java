package dev.autodoc.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.docs.pages.QualityLoop;
import dev.autodoc.worker.docs.pages.QualityScorer;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.symbols.Signatures;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The static agent documents real libraries to the quality bar, without inventing anything. */
class DocumentationTest {
  private static final double THRESHOLD = ScopeConfig.Agent.DEFAULT.qualityThreshold();

  /** Java from Maven Central, and a library of each other language. */
  static List<String> libraries() {
    return List.of(
        "commons-cli",
        "gson",
        RealCode.NODE_GYP,
        RealCode.RXJS,
        RealCode.EDGE_JS,
        RealCode.TREE_SITTER,
        RealCode.COBRA,
        RealCode.SEMVER,
        RealCode.CLICK,
        RealCode.TS_COMMAND_LINE);
  }

  @ParameterizedTest
  @MethodSource("libraries")
  void everyPageOfARealLibraryMeetsTheThresholdAndOnlyNamesWhatExists(String library) {
    DocContext context = RealCode.context(library);
    var loop = new QualityLoop(new StaticPageGenerator(), new QualityScorer());
    List<Page> pages =
        context.structure().pages().stream().map(p -> loop.run(p, context, THRESHOLD, 3)).toList();

    assertThat(pages).hasSizeGreaterThanOrEqualTo(2);
    assertThat(pages)
        .allSatisfy(
            page -> {
              assertThat(page.score())
                  .as(page.path() + " " + page.findings())
                  .isGreaterThanOrEqualTo(THRESHOLD);
              assertThat(page.findings())
                  .as(page.path())
                  .noneMatch(
                      f -> f.startsWith("unknown identifier") || f.startsWith("broken link"));
            });
    // Every identifier in a code span is a name in the code.
    var known = context.knownNames();
    Pattern code = Pattern.compile("`([A-Za-z_$][\\w$.]*)`");
    for (Page page : pages) {
      Matcher m = code.matcher(page.markdown());
      while (m.find()) {
        assertThat(known).as(page.path()).contains(m.group(1));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("libraries")
  void everyPublicTopLevelTypeIsCoveredOnItsPage(String library) {
    DocContext context = RealCode.context(library);
    var generator = new StaticPageGenerator();
    for (PagePlan plan : context.structure().pages()) {
      if (plan.kind() == PagePlan.Kind.OVERVIEW) {
        continue;
      }
      String markdown = generator.generate(plan, context, List.of());
      context.symbolsOf(plan).stream()
          .filter(s -> s.kind().isType() && s.exported())
          .filter(s -> s.container().equals(plan.module().replace('/', '.')))
          .forEach(
              type -> assertThat(markdown).as(plan.path()).contains("### `" + type.name() + "`"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gson"})
  void aLibraryOfSeveralPackagesGetsAPagePerPackageAndADiagramOfTheirImports(String library) {
    DocContext context = RealCode.context(library);
    assertThat(context.structure().pages())
        .extracting(PagePlan::path)
        .contains(
            "index.md",
            "modules/com.google.gson.md",
            "modules/com.google.gson.stream.md",
            "modules/com.google.gson.reflect.md");
    assertThat(context.structure().moduleDependencies().get("com.google.gson"))
        .contains("com.google.gson.stream");
    String overview =
        new StaticPageGenerator().generate(context.structure().overview(), context, List.of());
    assertThat(overview)
        .contains("```mermaid\nflowchart LR")
        .contains("[`com.google.gson.stream`](modules/com.google.gson.stream.md)");
    // Module pages link to their neighbours both ways.
    var stream =
        context.structure().pages().stream()
            .filter(p -> p.module().equals("com.google.gson.stream"))
            .findFirst()
            .orElseThrow();
    assertThat(new StaticPageGenerator().generate(stream, context, List.of()))
        .contains("## Related modules")
        .contains("- Used by [`com.google.gson`](../modules/com.google.gson.md)");
    // The static agent is deterministic: the same code gives the same page.
    DocContext again = RealCode.context(library);
    assertThat(new StaticPageGenerator().generate(again.structure().overview(), again, List.of()))
        .isEqualTo(overview);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gson"})
  void aTypeWithALargePublicSurfaceIsAKeyComponentWithItsOwnPage(String library) {
    DocContext context = RealCode.context(library);
    PagePlan gson =
        context.structure().pages().stream()
            .filter(p -> p.path().equals("components/com.google.gson.Gson.md"))
            .findFirst()
            .orElseThrow();
    assertThat(gson.kind()).isEqualTo(PagePlan.Kind.COMPONENT);
    assertThat(gson.ownedSymbols())
        .startsWith("com.google.gson.Gson")
        .contains("com.google.gson.Gson.toJson", "com.google.gson.Gson.fromJson");
    // Owned once: the module page no longer owns what the component page does.
    PagePlan module =
        context.structure().pages().stream()
            .filter(p -> p.path().equals("modules/com.google.gson.md"))
            .findFirst()
            .orElseThrow();
    assertThat(module.ownedSymbols()).doesNotContain("com.google.gson.Gson.toJson");
    var generator = new StaticPageGenerator();
    assertThat(generator.generate(module, context, List.of()))
        .contains("## Key components")
        .contains("- [`Gson`](../components/com.google.gson.Gson.md)");
    assertThat(generator.generate(gson, context, List.of()))
        .startsWith("# `Gson`\n")
        .contains("A key component of module [`com.google.gson`](../modules/com.google.gson.md)")
        .contains("### `Gson`");
    // A small type stays on its module page.
    assertThat(module.ownedSymbols()).contains("com.google.gson.FieldAttributes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gson"})
  void theReadmeIsAStartingPointWithEverySection(String library) {
    DocContext context = RealCode.context(library);
    String readme = ReadmeDistiller.distill(ScopeConfig.defaults(library), context);
    assertThat(readme)
        .startsWith("# " + library + "\n")
        .contains("## Structure", "## Key entry points", "## Architecture", "## Boundaries")
        .contains("- [`com.google.gson.stream`](docs/autodoc/modules/com.google.gson.stream.md)");
    List<Symbol> entries = ReadmeDistiller.entryPoints(context);
    assertThat(entries)
        .hasSize(ReadmeDistiller.ENTRY_POINTS)
        .extracting(Symbol::name)
        .contains("Gson");
  }

  /** A row's name and the code its signature cell shows, when shortened. */
  private static final Pattern SHORTENED_ROW =
      Pattern.compile("(?m)^\\| `([^`]+)` \\| `([^`]+)` … \\|.*\\| (\\[[^\\]]+]\\([^)]+\\)) \\|$");

  @ParameterizedTest
  @MethodSource("libraries")
  void aShortenedSignatureIsShownInFullBelowItsTable(String library) {
    DocContext context = RealCode.context(library);
    var generator = new StaticPageGenerator();
    int shortened = 0;
    int wrapped = 0;
    for (PagePlan plan : context.structure().pages()) {
      String markdown = generator.generate(plan, context, List.of());
      Matcher row = SHORTENED_ROW.matcher(markdown);
      while (row.find()) {
        String name = row.group(1);
        Matcher full =
            Pattern.compile(
                    "(?s)`"
                        + Pattern.quote(name)
                        + "` in full \\("
                        + Pattern.quote(row.group(3))
                        + "\\):\n\n```\\w*\n(.*?)\n```")
                .matcher(markdown);
        assertThat(full.find(row.end())).as(plan.path() + " " + name).isTrue();
        String block = full.group(1);
        String shown = row.group(2).replace("\\|", "|");
        // The whole signature the cell began, wrapped as its language's formatter would.
        assertThat(context.symbols())
            .as(plan.path() + " " + name)
            .anyMatch(
                s ->
                    s.name().equals(name)
                        && row.group(3).contains(":" + s.line() + "]")
                        && s.signature().startsWith(shown)
                        && Signatures.wrap(s.signature(), context.languageOf(s.file()))
                            .equals(block));
        wrapped += block.contains("(\n    ") ? 1 : 0;
        shortened++;
      }
    }
    if (shortened > 0) {
      assertThat(wrapped).as("signatures wrapped one parameter to a line").isPositive();
    }
  }
}
