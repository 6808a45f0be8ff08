package dev.autodoc.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.PagePlan;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Doc comments read as Markdown on every page: no raw Sphinx role, JSDoc/TSDoc/Javadoc tag or C#
 * XML element is left, and a code span naming a documented symbol links to the heading it is
 * documented under.
 */
class DocLinksTest {
  static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");
  static final Pattern CODE = Pattern.compile("(`+)[^`\\n]+?\\1");
  static final Pattern RAW_MARKUP =
      Pattern.compile(
          ":(?:[a-z]+:)?[a-z]+:`|\\{@\\w+|(?m)^\\s*@(?:param|returns?|remarks|example|throws)\\b"
              + "|<see\\s+cref=|<paramref\\s|(?<=\\S)\\\\s\\b");
  private static final Pattern SYMBOL_LINK =
      Pattern.compile("\\[`([^`]+)`]\\(([^)\\s]*)#([^)]+)\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

  @Test
  void aNameSharedByTwoTypesLinksToTheOneOfTheFileItIsWrittenIn() {
    DocContext context = RealCode.context(RealCode.CLICK);
    PagePlan parameter =
        context.structure().pages().stream()
            .filter(p -> p.path().equals("components/click.core.Parameter.md"))
            .findFirst()
            .orElseThrow();
    String markdown = new StaticPageGenerator().generate(parameter, context, List.of());
    // core.py's Parameter speaks of core.py's Option, not parser.py's
    assertThat(markdown)
        .contains("[`Option`](../modules/click.md#coreoption)")
        .doesNotContain("#parseroption");
  }

  @Test
  void noPageShowsRawDocMarkupAndEverySymbolLinkLandsOnItsHeading() {
    var generator = new StaticPageGenerator();
    int links = 0;
    List<String> raw = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    for (String library : DocumentationTest.libraries()) {
      DocContext context = RealCode.context(library);
      Map<String, String> pages = new HashMap<>();
      for (PagePlan page : context.structure().pages()) {
        pages.put(page.path(), generator.generate(page, context, List.of()));
      }
      for (var page : pages.entrySet()) {
        String prose = CODE.matcher(FENCE.matcher(page.getValue()).replaceAll("")).replaceAll("");
        Matcher markup = RAW_MARKUP.matcher(prose);
        while (markup.find()) {
          raw.add(library + " " + page.getKey() + ": " + excerpt(prose, markup.start()));
        }
        Matcher link = SYMBOL_LINK.matcher(page.getValue());
        while (link.find()) {
          links++;
          String target =
              link.group(2).isEmpty()
                  ? page.getKey()
                  : URI.create("x:/" + page.getKey()).resolve(link.group(2)).getPath().substring(1);
          String section = section(pages.get(target), link.group(3));
          String name = link.group(1).substring(link.group(1).lastIndexOf('.') + 1);
          // under its heading (`core.Option` when qualified there) or in a row of that section
          if (section == null
              || !Pattern.compile("`([\\w$]+\\.)*" + Pattern.quote(name) + "`")
                  .matcher(section)
                  .find()) {
            lost.add(
                library
                    + " "
                    + page.getKey()
                    + ": "
                    + link.group()
                    + (section == null ? " (no such heading)" : " (not under it)"));
          }
        }
      }
    }
    System.out.printf("symbol links: %d, of which %d miss their heading%n", links, lost.size());
    assertThat(raw).isEmpty();
    assertThat(lost).isEmpty();
    assertThat(links).isGreaterThan(200);
  }

  /** The text under the heading with this anchor, to the next heading; null when none has it. */
  private static String section(String markdown, String anchor) {
    if (markdown == null) {
      return null;
    }
    var ids = DocContext.anchors();
    Matcher heading = HEADING.matcher(markdown);
    while (heading.find()) {
      if (ids.generateId(heading.group(1).replace("`", "")).equals(anchor)) {
        int start = heading.start();
        int end = heading.find() ? heading.start() : markdown.length();
        return markdown.substring(start, end);
      }
    }
    return null;
  }

  private static String excerpt(String text, int at) {
    return text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 40))
        .replace('\n', ' ');
  }
}
