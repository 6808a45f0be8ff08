package dev.autodoc.support.embedding;

import java.util.Arrays;

/**
 * The tokens of pieces of one text, without the model's special tokens. Pieces are cut at white
 * space (line ends, blank lines, spaces), where the tokenizers in use split before anything else.
 */
public interface TokenRanges {
  /** Tokens of the text between {@code from} (inclusive) and {@code to} (exclusive). */
  int tokens(int from, int to);

  /**
   * Whether the tokens of pieces cut at white space add up to the tokens of the pieces joined: then
   * a chunk's count is the sum of its parts', and nothing has to be tokenized again.
   */
  boolean additive();

  /** Each piece tokenized on its own: right for any tokenizer, one pass per piece. */
  static TokenRanges eachAlone(Embedder embedder, String text) {
    int special = embedder.countTokens("");
    return new TokenRanges() {
      @Override
      public int tokens(int from, int to) {
        return embedder.countTokens(text.substring(from, to)) - special;
      }

      @Override
      public boolean additive() {
        return false;
      }
    };
  }

  /**
   * Counts from one pass of a tokenizer that splits at white space first: a piece holds the tokens
   * that start inside it. {@code starts} are the tokens' start offsets in the text's chars, in
   * order.
   */
  static TokenRanges fromStarts(int[] starts) {
    return new TokenRanges() {
      @Override
      public int tokens(int from, int to) {
        return firstAtOrAfter(starts, to) - firstAtOrAfter(starts, from);
      }

      @Override
      public boolean additive() {
        return true;
      }
    };
  }

  private static int firstAtOrAfter(int[] sorted, int offset) {
    int i = Arrays.binarySearch(sorted, offset);
    if (i < 0) {
      return -i - 1;
    }
    while (i > 0 && sorted[i - 1] == offset) {
      i--;
    }
    return i;
  }
}
