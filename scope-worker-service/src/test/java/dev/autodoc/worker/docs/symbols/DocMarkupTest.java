package dev.autodoc.worker.docs.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each language's doc-comment markup, as Markdown. */
class DocMarkupTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '"',
      value = {
        // Sphinx roles, with a domain, a ~ short form, a title, and a :ref: label
        "Like :class:`Option` but see :meth:`Context.invoke`. => Like `Option` but see `Context.invoke`.",
        "Raises :py:exc:`~click.exceptions.Abort`. => Raises `Abort`.",
        "Use :func:`the decorator <click.option>`. => Use `click.option`.",
        "See :ref:`the ranges <ranges>` and :attr:`prereleases`. => See the ranges and `prereleases`.",
        "Set ``nargs`` to ``-1``. => Set `nargs` to `-1`.",
        "Either :class:`Option`\\s or :class:`Argument`\\ s. => Either `Option`s or `Argument`s.",
        // JSDoc and TSDoc inline tags, and block tags that end the description
        "Emits like {@link Observable}. => Emits like `Observable`.",
        "Uses {@link SchedulerLike | a scheduler}. => Uses a scheduler (`SchedulerLike`).",
        "Returns {@code null} or {@link Foo#bar}. => Returns `null` or `Foo.bar`.",
        "\"Parses.\n@param text the text\n@returns the tree\" => \"Parses.\n\"",
        "\"@deprecated Use {@link take} instead.\n@param n\" => Deprecated: Use `take` instead.",
        // C# XML doc, Doxygen, and Rust/Go doc links
        "Wraps <see cref=\"T:Edge.Func\"/> and <c>null</c>. => Wraps `Edge.Func` and `null`.",
        "\"@brief Creates a parser.\n@param x\" => \"Creates a parser.\n\"",
        "Compare with [`Version`] or [Command]. => Compare with `Version` or `Command`.",
        "A [link](https://x.dev) stays. => A [link](https://x.dev) stays.",
      })
  void markupBecomesMarkdown(String doc, String markdown) {
    assertThat(DocMarkup.markdown(doc)).isEqualTo(markdown);
  }
}
