package dev.autodoc.worker.docs.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DocTextTest {
  @Test
  void badgesImagesAndLinkDefinitionsArePassedOverForTheFirstProse() {
    String readme =
        """
        # node tree-sitter

        [![CI][ci]](https://github.com/x/actions) [![npm][npm]](https://npmjs.com/package/x)
        [![docs](https://img.shields.io/docs.svg)](https://x.dev)

        <p align="center"><img src="logo.svg"></p>

        This module provides Node.js bindings to the [tree-sitter] parsing library. It parses.

        [tree-sitter]: https://github.com/tree-sitter/tree-sitter
        [ci]: https://img.shields.io/ci.svg
        """;
    assertThat(DocText.summary(readme))
        .isEqualTo("This module provides Node.js bindings to the tree-sitter parsing library.");
  }

  @Test
  void linksWithTargetsAndBracketsWithoutDefinitionsStay() {
    assertThat(DocText.firstParagraph("See the [guide](https://x.dev) and [optional] parts."))
        .isEqualTo("See the [guide](https://x.dev) and [optional] parts.");
    assertThat(DocText.firstParagraph("Read [the guide][g].\n\n[g]: https://x.dev"))
        .isEqualTo("Read the guide.");
  }

  @Test
  void aToDoNoteIsNoSummary() {
    assertThat(DocText.firstSentence("TODO: write this. Later.")).isEmpty();
    assertThat(DocText.firstSentence("Parses  options.\nThen more.")).isEqualTo("Parses options.");
  }
}
