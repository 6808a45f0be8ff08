package dev.autodoc.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.docs.pages.PageGenerator;
import dev.autodoc.worker.docs.pages.QualityLoop;
import dev.autodoc.worker.docs.pages.QualityScorer;
import dev.autodoc.worker.docs.structure.PagePlan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityScorerTest {
  private static final DocContext CLI = RealCode.context("commons-cli");
  private static final PagePlan MODULE = CLI.structure().pages().get(1);
  private final QualityScorer scorer = new QualityScorer();

  /** A module page that covers every owned symbol, has every section and only true names. */
  private static String complete(String extra) {
    var md =
        new StringBuilder(
            "# Module `org.apache.commons.cli`\n\n## Overview\n\nText.\n\n## API\n\n");
    CLI.symbolsOf(MODULE).forEach(s -> md.append("- `").append(s.name()).append("`\n"));
    return md.append(extra)
        .append(
            "\n## Source files\n\n- [Options](../../../org/apache/commons/cli/Options.java#L20)\n")
        .toString();
  }

  @Test
  void aCompleteTruthfulPageScoresOne() {
    QualityScorer.Score score = scorer.score(MODULE, complete(""), CLI);
    assertThat(score.findings()).isEmpty();
    assertThat(score.value()).isEqualTo(1.0);
  }

  @Test
  void anIdentifierAbsentFromTheCodeIsFoundAndLowersTruthfulness() {
    QualityScorer.Score score =
        scorer.score(MODULE, complete("- `OptionsFactoryBean` builds options.\n"), CLI);
    assertThat(score.findings()).containsExactly("unknown identifier `OptionsFactoryBean`");
    assertThat(score.value()).isLessThan(1.0);
  }

  @Test
  void anOwnedSymbolTheTextNeverMentionsIsMissing() {
    String page = complete("").replace("- `addOption`\n", "");
    assertThat(scorer.score(MODULE, page, CLI).findings())
        .contains("missing symbol `org.apache.commons.cli.OptionGroup.addOption`");
  }

  @Test
  void aLinkToNothingIsBroken() {
    QualityScorer.Score score =
        scorer.score(
            MODULE,
            complete("See [the guide](../guide.md) and [a file](../../../Nope.java).\n"),
            CLI);
    assertThat(score.findings())
        .containsExactly("broken link (../guide.md)", "broken link (../../../Nope.java)");
  }

  @Test
  void malformedMarkdownAndMermaidAndMissingSectionsAreNamed() {
    String page =
        "# Title\n\n#### Too deep\n\n```mermaid\nflowchart LR\n  a[\"x\" --> b\n```\n\n```mermaid\npiechart\n```\n\n```java\nclass Open {";
    QualityScorer.Score score = scorer.score(MODULE, page, CLI);
    assertThat(score.findings())
        .contains(
            "markdown: heading 'Too deep' skips a level",
            "markdown: a code fence is not closed",
            "mermaid diagram 1: line 2 has unbalanced brackets or quotes",
            "mermaid diagram 2: unknown diagram type 'piechart'",
            "missing section `## API`");
    assertThat(score.value()).isLessThan(0.5);
  }

  @Test
  void theLoopRegeneratesWithTheFindingsUntilThePageIsGoodEnough() {
    List<List<String>> feedbacks = new ArrayList<>();
    PageGenerator improving =
        (plan, context, feedback) -> {
          feedbacks.add(feedback);
          // The first draft forgets most of the API; a draft told what is missing adds it.
          return feedback.isEmpty() ? "# Draft\n\n## Overview\n\nText.\n" : complete("");
        };
    Page page = new QualityLoop(improving, scorer).run(MODULE, CLI, 0.7, 3);
    assertThat(page.attempts()).isEqualTo(2);
    assertThat(page.score()).isEqualTo(1.0);
    assertThat(feedbacks.get(1))
        .anySatisfy(f -> assertThat(f).startsWith("missing symbol `org.apache.commons.cli."));
  }

  @Test
  void theLoopStopsAtMaxAttemptsAndKeepsTheBestScore() {
    PageGenerator stubborn = (plan, context, feedback) -> "# Draft\n\n## Overview\n\nText.\n";
    Page page = new QualityLoop(stubborn, scorer).run(MODULE, CLI, 0.9, 3);
    assertThat(page.attempts()).isEqualTo(3);
    assertThat(page.score()).isLessThan(0.9);
    assertThat(page.findings()).isNotEmpty();
  }
}
