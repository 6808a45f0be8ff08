package dev.autodoc.support.embedding;

import java.util.List;

/** Turns texts into vectors for semantic search. Pages are chunked to fit {@link #maxTokens()}. */
public interface Embedder {
  /** Name of the model, stored with every vector so vectors of different models never mix. */
  String model();

  /**
   * Which build of {@link #model()} this is: vectors are kept by text, model and version, so a new
   * version embeds every text again rather than mixing its vectors with the old ones.
   */
  String version();

  int dimensions();

  /**
   * The model's window: a text with more tokens would be truncated or averaged, so chunks stay
   * under it.
   */
  int maxTokens();

  /** Tokens of a text as the model counts them, special tokens included. */
  int countTokens(String text);

  /**
   * The tokens of pieces of {@code text}, for cutting it into chunks. By default each piece is
   * tokenized on its own; a model whose tokenizer gives offsets tokenizes the text once.
   */
  default TokenRanges ranges(String text) {
    return TokenRanges.eachAlone(this, text);
  }

  /** One unit-length vector per text, in order. */
  List<float[]> embed(List<String> texts);
}
