package dev.autodoc.support.embedding;

import dev.autodoc.support.llm.EndpointCalls;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModelName;
import dev.langchain4j.model.openai.OpenAiTokenCountEstimator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Vectors from an OpenAI-compatible {@code /embeddings} endpoint (OpenAI, vLLM, Ollama, …). Tokens
 * are counted with cl100k_base, exact for OpenAI's embedding models and an estimate for others:
 * give {@code max-tokens} some room for a model with another tokenizer. Vectors are scaled to unit
 * length, as the local model's are, so search ranks by cosine either way. The model's name is
 * stored with every vector, so vectors of two models are never compared.
 */
public final class OpenAiEmbedder implements Embedder {
  private static final int ATTEMPTS = 4;
  private static final Duration BACKOFF = Duration.ofSeconds(1);

  private final OpenAiEmbeddingModel model;
  private final String name;
  private final String version;
  private final int maxTokens;
  private final int attempts;
  private final Duration backoff;
  private final OpenAiTokenCountEstimator tokens =
      new OpenAiTokenCountEstimator(OpenAiEmbeddingModelName.TEXT_EMBEDDING_3_SMALL);
  private volatile int dimensions;

  public OpenAiEmbedder(
      String baseUrl,
      Optional<String> apiKey,
      String model,
      String version,
      int maxTokens,
      Duration timeout) {
    this(baseUrl, apiKey, model, version, maxTokens, timeout, ATTEMPTS, BACKOFF);
  }

  OpenAiEmbedder(
      String baseUrl,
      Optional<String> apiKey,
      String model,
      String version,
      int maxTokens,
      Duration timeout,
      int attempts,
      Duration backoff) {
    this.model =
        OpenAiEmbeddingModel.builder()
            .baseUrl(baseUrl)
            .apiKey(apiKey.orElse("not-needed"))
            .modelName(model)
            .timeout(timeout)
            .maxRetries(0)
            .build();
    this.name = model;
    this.version = version;
    this.maxTokens = maxTokens;
    this.attempts = attempts;
    this.backoff = backoff;
  }

  @Override
  public String model() {
    return name;
  }

  /** As configured: an endpoint does not say when the model behind a name changes. */
  @Override
  public String version() {
    return version;
  }

  /** Known once the endpoint has answered; 0 before. */
  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public int maxTokens() {
    return maxTokens;
  }

  @Override
  public int countTokens(String text) {
    return tokens.estimateTokenCountInText(text);
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    List<Embedding> embeddings =
        EndpointCalls.call(
            "embeddings endpoint",
            attempts,
            backoff,
            () -> model.embedAll(texts.stream().map(TextSegment::from).toList()).content());
    if (embeddings.size() != texts.size()) {
      throw new IllegalStateException(
          "the embeddings endpoint answered "
              + embeddings.size()
              + " vectors for "
              + texts.size()
              + " texts");
    }
    List<float[]> vectors =
        embeddings.stream().map(e -> LocalEmbedder.normalize(e.vector())).toList();
    dimensions = vectors.getFirst().length;
    return vectors;
  }
}
