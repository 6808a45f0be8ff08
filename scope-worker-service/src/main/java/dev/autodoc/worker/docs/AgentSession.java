package dev.autodoc.worker.docs;

import java.util.List;
import java.util.Map;

/**
 * One agent run as it is recorded: what it was asked (its input), what it did step by step, what it
 * produced, and the tokens it used (zero for the static agent).
 */
public record AgentSession(
    String agent,
    Map<String, Object> input,
    List<Step> steps,
    String output,
    int promptTokens,
    int completionTokens) {
  /** One attempt of the quality loop: its score, its findings and how long it took. */
  public record Step(int attempt, double score, List<String> findings, long millis) {}
}
