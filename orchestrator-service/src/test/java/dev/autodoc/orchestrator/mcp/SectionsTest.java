package dev.autodoc.orchestrator.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SectionsTest {
  private static final String PAGE =
      """
      # HelpFormatter

      Formats help.

      ## API

      ### `HelpFormatter`

      The type itself.

      ### `ts_parser_new`

      Makes a parser.

      ```
      ## not a heading
      ```

      ## Source files
      """;

  @Test
  void aSectionIsFoundByItsTextOrByTheAnchorThePageViewGivesIt() {
    // The second "HelpFormatter" heading is numbered, as GitHub and find_symbol number it.
    assertThat(Sections.of(PAGE, "helpformatter-1", "p.md"))
        .startsWith("### `HelpFormatter`")
        .contains("The type itself.")
        .doesNotContain("ts_parser_new");
    assertThat(Sections.of(PAGE, "helpformatter", "p.md")).startsWith("# HelpFormatter");
    // Underscores stay in an anchor.
    assertThat(Sections.of(PAGE, "ts_parser_new", "p.md")).contains("Makes a parser.");
    assertThat(Sections.of(PAGE, "api", "p.md"))
        .startsWith("## API")
        .contains("## not a heading")
        .doesNotContain("Source files");
    assertThat(Sections.of(PAGE, "Source Files", "p.md")).startsWith("## Source files");
  }

  @Test
  void aSectionThePageLacksIsAToolErrorNamingItsHeadings() {
    assertThatThrownBy(() -> Sections.of(PAGE, "usage", "p.md"))
        .hasMessageContaining("no section 'usage' in page p.md")
        .hasMessageContaining("API");
  }
}
