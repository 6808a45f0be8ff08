package dev.autodoc.worker.docs.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.support.embedding.Embedder;
import dev.autodoc.support.embedding.LocalEmbedder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Chunking text that is hard to count: characters outside the Basic Multilingual Plane (two chars
 * each in Java, one offset in the tokenizer), accents, CJK, lines far longer than the window, runs
 * of blank lines. Every chunk's count is the model's own count of its text, and no word is lost.
 */
class ChunkerTest {
  private static final LocalEmbedder MODEL = LocalEmbedder.shared();

  private static final String HARD =
      "# Title\n\nHéllo 😀 wörld 漢字 "
          + "naïve 🧪tests ".repeat(500)
          + "\nnext line  \n\n\n\n"
          + "## Second `section`\n"
          + "a 😀 b\n".repeat(700)
          + "\n\n"
          + "### Third\n\n"
          + "para one\nstill one\n\n".repeat(300);

  @Test
  void everyChunkIsCountedAsTheModelCountsItsText() {
    List<Chunk> chunks = new Chunker(MODEL).chunk("p.md", "Title", HARD);
    assertThat(chunks).hasSizeGreaterThan(5);
    assertThat(chunks)
        .allSatisfy(
            c -> {
              assertThat(c.tokens()).as(c.text()).isEqualTo(MODEL.countTokens(c.text()));
              assertThat(c.tokens()).isLessThanOrEqualTo(MODEL.maxTokens());
            });
    assertThat(chunks.stream().map(Chunk::heading).distinct())
        .containsExactly("Title", "Second section", "Third");
    assertNoWordLost(HARD, chunks);
  }

  /**
   * A tokenizer that merges across white space, so the parts' counts do not add up: each chunk is
   * counted whole, and one over the window is cut again.
   */
  @Test
  void aTokenizerWhoseCountsDoNotAddUpIsCountedWhole() {
    Embedder merging =
        new Embedder() {
          @Override
          public String model() {
            return "merging";
          }

          @Override
          public String version() {
            return "1";
          }

          @Override
          public int dimensions() {
            return 1;
          }

          @Override
          public int maxTokens() {
            return 64;
          }

          /** One token per char of a piece on its own, one more for each space between words. */
          @Override
          public int countTokens(String text) {
            return text.strip().length() + (int) text.strip().chars().filter(c -> c == ' ').count();
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            throw new UnsupportedOperationException();
          }
        };
    String page = "# T\n\n" + "ab cd ".repeat(60);
    List<Chunk> chunks = new Chunker(merging).chunk("p.md", "T", page);
    assertThat(chunks)
        .hasSizeGreaterThan(1)
        .allSatisfy(
            c -> {
              assertThat(c.tokens()).isEqualTo(merging.countTokens(c.text()));
              assertThat(c.tokens()).isLessThanOrEqualTo(merging.maxTokens());
            });
    assertNoWordLost(page, chunks);
  }

  /** The words of the page's sections, in order, are the words of the chunks after their prefix. */
  private static void assertNoWordLost(String markdown, List<Chunk> chunks) {
    List<String> expected = words(markdown.lines().filter(l -> !l.startsWith("#")));
    List<String> actual =
        words(chunks.stream().map(c -> c.text().substring(c.text().indexOf('\n') + 1)));
    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(actual).isEqualTo(expected);
  }

  private static List<String> words(Stream<String> texts) {
    return texts.flatMap(t -> Arrays.stream(t.split("\\s+"))).filter(w -> !w.isEmpty()).toList();
  }
}
