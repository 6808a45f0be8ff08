package dev.autodoc.support.embedding;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.support.SupportConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Vectors from a local server speaking the OpenAI embeddings protocol. */
class OpenAiEmbedderTest {
  private static final String EMBEDDINGS = "/v1/embeddings";
  private static final String TWO_VECTORS =
      """
      {"object": "list", "model": "nomic-embed-text",
       "data": [{"object": "embedding", "index": 0, "embedding": [3.0, 4.0, 0.0]},
                {"object": "embedding", "index": 1, "embedding": [0.0, 0.0, 2.0]}],
       "usage": {"prompt_tokens": 6, "total_tokens": 6}}
      """;
  private static WireMockServer server;

  @BeforeAll
  static void start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  private static OpenAiEmbedder embedder() {
    return new OpenAiEmbedder(
        server.baseUrl() + "/v1",
        Optional.of("sk-embed"),
        "nomic-embed-text",
        "1",
        2048,
        Duration.ofSeconds(5),
        3,
        Duration.ofMillis(10));
  }

  private static void answer(String state, String next, int status, String body) {
    server.stubFor(
        post(urlEqualTo(EMBEDDINGS))
            .inScenario("embed")
            .whenScenarioStateIs(state)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body))
            .willSetStateTo(next));
  }

  @Test
  void textsBecomeUnitVectorsInOrderNamedByTheirModel() {
    answer(Scenario.STARTED, Scenario.STARTED, 200, TWO_VECTORS);
    OpenAiEmbedder embedder = embedder();
    List<float[]> vectors = embedder.embed(List.of("Options parses arguments", "HelpFormatter"));

    assertThat(vectors).hasSize(2);
    assertThat(vectors.get(0)).containsExactly(0.6f, 0.8f, 0.0f);
    assertThat(vectors.get(1)).containsExactly(0.0f, 0.0f, 1.0f);
    assertThat(embedder.dimensions()).isEqualTo(3);
    assertThat(embedder.model()).isEqualTo("nomic-embed-text");
    assertThat(embedder.maxTokens()).isEqualTo(2048);
    assertThat(embedder.countTokens("hello world")).isEqualTo(2);
    server.verify(
        postRequestedFor(urlEqualTo(EMBEDDINGS))
            .withHeader("Authorization", equalTo("Bearer sk-embed"))
            .withRequestBody(matchingJsonPath("$.model", equalTo("nomic-embed-text")))
            .withRequestBody(matchingJsonPath("$.input[1]", equalTo("HelpFormatter"))));
  }

  @Test
  void aRateLimitIsRetried() {
    answer(Scenario.STARTED, "ok", 429, "{\"error\": {\"message\": \"slow down\"}}");
    answer("ok", "ok", 200, TWO_VECTORS);
    assertThat(embedder().embed(List.of("a", "b"))).hasSize(2);
    server.verify(2, postRequestedFor(urlEqualTo(EMBEDDINGS)));
  }

  @Test
  void anUnknownModelIsRefusedAtOnce() {
    answer(
        Scenario.STARTED, Scenario.STARTED, 404, "{\"error\": {\"message\": \"no such model\"}}");
    assertThatThrownBy(() -> embedder().embed(List.of("a")))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("embeddings endpoint refused")
        .hasMessageContaining("HTTP 404")
        .satisfies(e -> assertThat(((AutodocException) e).reason()).isEqualTo(Reason.LLM_REJECTED));
    server.verify(1, postRequestedFor(urlEqualTo(EMBEDDINGS)));
  }

  @Test
  void theProviderIsChosenByConfigurationAndAWrongOneIsNamed() {
    assertThat(Embedders.of(config("local", Optional.empty()))).isSameAs(LocalEmbedder.shared());
    assertThat(Embedders.of(config("openai", Optional.of(server.baseUrl() + "/v1"))))
        .isInstanceOf(OpenAiEmbedder.class);
    assertThatThrownBy(() -> Embedders.of(config("openai", Optional.empty())))
        .hasMessageContaining("autodoc.support.embedding.base-url");
    assertThatThrownBy(() -> Embedders.of(config("cohere", Optional.empty())))
        .hasMessageContaining("'cohere'")
        .hasMessageContaining("'local' or 'openai'");
  }

  private static SupportConfig.Embedding config(String provider, Optional<String> baseUrl) {
    return new SupportConfig.Embedding() {
      @Override
      public String provider() {
        return provider;
      }

      @Override
      public Optional<String> baseUrl() {
        return baseUrl;
      }

      @Override
      public Optional<String> apiKey() {
        return Optional.empty();
      }

      @Override
      public String model() {
        return "text-embedding-3-small";
      }

      @Override
      public String modelVersion() {
        return "1";
      }

      @Override
      public int maxTokens() {
        return 8191;
      }

      @Override
      public Duration timeout() {
        return Duration.ofSeconds(5);
      }
    };
  }
}
