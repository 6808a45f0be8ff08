package dev.autodoc.worker.docs;

import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.PagePlan;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * How far the static pages of every library the tests document can be trusted, counted from the
 * rendered Markdown alone, so the same harness measures an older engine: module summaries that only
 * count things, raw doc-comment markup, links with nothing to click, counts whose noun disagrees,
 * and code spans that link to a symbol's heading. Run with {@code -Pbench}; it prints numbers and
 * asserts nothing (the tests assert the bars).
 */
class PageTruthBenchmark {
  private static final Pattern FENCE = DocLinksTest.FENCE;
  private static final Pattern CODE = DocLinksTest.CODE;
  private static final Pattern RAW_MARKUP = DocLinksTest.RAW_MARKUP;
  private static final Pattern EMPTY_LINK = ModuleDocsTest.EMPTY_LINK;
  private static final Pattern BAD_PLURAL = ModuleDocsTest.BAD_PLURAL;
  private static final Pattern COUNTING_SUMMARY =
      Pattern.compile("## Overview\\n\\nThe (\\d+ )?public (type|function)");
  private static final Pattern SYMBOL_LINK = Pattern.compile("\\[`[^`]+`]\\([^)\\s]*#[^)]+\\)");

  @Test
  void printsHowTrustworthyThePagesAre() {
    int pages = 0;
    int modules = 0;
    int counting = 0;
    int raw = 0;
    int empty = 0;
    int plurals = 0;
    int links = 0;
    var generator = new StaticPageGenerator();
    for (String library : DocumentationTest.libraries()) {
      DocContext context = RealCode.context(library);
      for (PagePlan page : context.structure().pages()) {
        String markdown = generator.generate(page, context, List.of());
        String prose = CODE.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
        pages++;
        if (page.kind() == PagePlan.Kind.MODULE) {
          modules++;
          counting += COUNTING_SUMMARY.matcher(markdown).find() ? 1 : 0;
        }
        raw += count(RAW_MARKUP.matcher(prose));
        empty += count(EMPTY_LINK.matcher(markdown));
        plurals += count(BAD_PLURAL.matcher(prose));
        links += count(SYMBOL_LINK.matcher(markdown));
      }
    }
    System.out.printf(
        "page truth over %d libraries, %d pages:%n"
            + "  module pages summarized by the code's own docs: %d of %d (%d only count)%n"
            + "  raw doc-comment markup left: %d%n"
            + "  links with empty text: %d%n"
            + "  counts whose noun disagrees: %d%n"
            + "  code spans linked to a symbol's heading: %d%n",
        DocumentationTest.libraries().size(),
        pages,
        modules - counting,
        modules,
        counting,
        raw,
        empty,
        plurals,
        links);
  }

  private static int count(Matcher matcher) {
    int n = 0;
    while (matcher.find()) {
      n++;
    }
    return n;
  }
}
