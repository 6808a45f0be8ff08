package dev.autodoc.support.llm;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * An OpenAI-compatible chat endpoint as a service's configuration names it: a group in the workers'
 * ({@code agent.mode: llm}) and the orchestrator's ({@code ask}) settings.
 */
public interface LlmEndpoint {
  /** The API root ({@code https://api.openai.com/v1}, a vLLM or Ollama server); unset, none. */
  Optional<String> baseUrl();

  Optional<String> apiKey();

  @WithDefault("gpt-4o-mini")
  String model();

  /** Longest one request may take; a timeout is retried. */
  @WithDefault("2m")
  Duration timeout();

  /** Tries of one request while the endpoint is unavailable (429, 5xx, timeouts). */
  @WithDefault("4")
  int attempts();

  /** First wait between tries; it doubles each time. */
  @WithDefault("2s")
  Duration backoff();

  @WithDefault("0.2")
  double temperature();

  /** The client's settings, at {@code baseUrl} (the caller says what its absence means). */
  default LlmSettings settings(String baseUrl) {
    return new LlmSettings(
        baseUrl, apiKey(), model(), timeout(), Math.max(1, attempts()), backoff(), temperature());
  }
}
