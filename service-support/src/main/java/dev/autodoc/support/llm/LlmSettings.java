package dev.autodoc.support.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * Where and how to reach the OpenAI-compatible chat endpoint of {@code agent.mode: llm}.
 *
 * @param baseUrl the API root, e.g. {@code https://api.openai.com/v1} or a vLLM or Ollama server
 * @param attempts tries of one request when the endpoint is unavailable (429, 5xx, timeouts)
 * @param backoff the first wait between tries; it doubles each time
 */
public record LlmSettings(
    String baseUrl,
    Optional<String> apiKey,
    String model,
    Duration timeout,
    int attempts,
    Duration backoff,
    double temperature) {}
