package dev.autodoc.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.ModuleSummaries;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.structure.ScopeText;
import dev.autodoc.worker.docs.symbols.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Modules are named, and summarized by their own documentation in each form a language keeps it;
 * pages count in words that agree with the number.
 */
class ModuleDocsTest {
  /** A count whose noun disagrees with its number: "1 modules", "3 type". */
  /** A link with nothing to click: [](x) or [``](x) (operator[](…) in code is no link). */
  static final Pattern EMPTY_LINK = Pattern.compile("(?<![\\w`])\\[(``)?]\\(");

  static final Pattern BAD_PLURAL =
      Pattern.compile(
          "\\b1 (?:public |exported |source |documented )?(?:modules|types|files|members|functions)\\b"
              + "|\\b(?:0|[2-9]|\\d{2,}) (?:public |exported |source |documented )?"
              + "(?:module|type|file|member|function)\\b(?!s)");

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // package-info.java
        "commons-cli | org.apache.commons.cli | org/apache/commons/cli/package-info.java"
            + " | Apache Commons CLI provides a simple API",
        // a Go package comment, in the file that has it
        "cobra | '' | command.go | Package cobra is a commander",
        // a Python package's docstring
        "click | click | click/__init__.py | Click is a simple Python module",
        // Rust //! lines, past the badges
        "semver | src | src/lib.rs | A parser and evaluator for Cargo's flavor",
        // a JavaScript file header tagged @packageDocumentation, below the compiled prologue
        "ts-command-line | lib-commonjs | lib-commonjs/index.js"
            + " | An object-oriented command-line parser",
        // a README in the module's directory
        "tree-sitter | vendor/tree-sitter/lib/src/unicode"
            + " | vendor/tree-sitter/lib/src/unicode/README.md | This directory contains",
      })
  void aModuleIsSummarizedByItsOwnDocumentation(
      String library, String module, String documentedIn, String start) throws IOException {
    DocContext context = RealCode.context(library);
    PagePlan page = modulePage(context, module);
    assertThat(page.purpose()).startsWith(start);
    // Word for word from the file itself, markup aside.
    String source =
        Files.readString(RealCode.root(library).resolve(documentedIn), StandardCharsets.UTF_8)
            .replaceAll("(?m)^\\s*(//!|//|#|\\*)", " ")
            .replaceAll("\\s+", " ");
    assertThat(withoutLinks(source)).contains(withoutLinks(page.purpose()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"cobra, cobra, modules/cobra.md", "tree-sitter, tree-sitter, modules/tree-sitter.md"})
  void theRootModuleIsNamedAfterItsPackage(String library, String name, String path) {
    DocContext context = RealCode.context(library);
    PagePlan root = modulePage(context, "");
    assertThat(root.title()).isEqualTo(name);
    assertThat(root.path()).isEqualTo(path);
    String overview =
        new StaticPageGenerator().generate(context.structure().overview(), context, List.of());
    assertThat(overview).contains("[`" + name + "`](" + path + ")");
    String page = new StaticPageGenerator().generate(root, context, List.of());
    assertThat(page).startsWith("# Module `" + name + "`\n");
  }

  @ParameterizedTest
  @MethodSource("dev.autodoc.worker.docs.DocumentationTest#libraries")
  void noPageHasAnEmptyNameOrACountThatDisagrees(String library) {
    DocContext context = RealCode.context(library);
    var generator = new StaticPageGenerator();
    for (PagePlan page : context.structure().pages()) {
      assertThat(page.title()).as(page.path()).isNotBlank();
      assertThat(page.path()).doesNotEndWith("/_.md");
      String markdown = generator.generate(page, context, List.of());
      assertThat(markdown)
          .as(page.path())
          .doesNotContainPattern(EMPTY_LINK)
          .doesNotContainPattern(BAD_PLURAL);
    }
  }

  /**
   * Every module whose code documents it is summarized by that, never by a count; prints how many
   * module pages across the libraries carry their code's own words.
   */
  @Test
  void noModuleWithItsOwnDocsIsSummarizedByACount() {
    int modules = 0;
    int fromDocs = 0;
    for (String library : DocumentationTest.libraries()) {
      DocContext context = RealCode.context(library);
      ScopeText text = ScopeText.of(RealCode.root(library), RealCode.files(library));
      for (PagePlan page : context.structure().pages()) {
        if (page.kind() != PagePlan.Kind.MODULE) {
          continue;
        }
        modules++;
        List<SourceFile> files =
            context.sources().stream().filter(s -> s.module().equals(page.module())).toList();
        var own = ModuleSummaries.of(files, text);
        if (own.isPresent()) {
          fromDocs++;
          assertThat(page.purpose()).as(library + " " + page.path()).isEqualTo(own.get());
        } else {
          assertThat(page.purpose()).as(library + " " + page.path()).startsWith("The ");
        }
      }
    }
    System.out.printf(
        "module summaries from the code's own docs: %d of %d module pages%n", fromDocs, modules);
    assertThat(fromDocs).isGreaterThanOrEqualTo(13);
  }

  private static String withoutLinks(String markdown) {
    return markdown.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1");
  }

  private static PagePlan modulePage(DocContext context, String module) {
    return context.structure().pages().stream()
        .filter(p -> p.kind() == PagePlan.Kind.MODULE && p.module().equals(module))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no page for module '" + module + "'"));
  }
}
