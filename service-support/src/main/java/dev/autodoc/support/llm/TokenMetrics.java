package dev.autodoc.support.llm;

import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.common.metrics.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The LLM tokens spent for a repository, on {@code autodoc.llm.tokens} tagged by kind (prompt or
 * completion): the pages' (counted by the reconciler when a job ends) and {@code ask}'s (counted by
 * the orchestrator when it answers) alike.
 */
public final class TokenMetrics {
  private TokenMetrics() {}

  public static void count(MeterRegistry registry, String repository, TokenUsage tokens) {
    counter(registry, "prompt", repository).increment(tokens.prompt());
    counter(registry, "completion", repository).increment(tokens.completion());
  }

  private static io.micrometer.core.instrument.Counter counter(
      MeterRegistry registry, String kind, String repository) {
    return registry.counter(
        MetricNames.LLM_TOKENS, MetricNames.TAG_KIND, kind, MetricNames.TAG_REPOSITORY, repository);
  }
}
