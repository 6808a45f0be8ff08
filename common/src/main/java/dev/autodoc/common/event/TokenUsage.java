package dev.autodoc.common.event;

/** The LLM tokens a piece of work used: sent in prompts and received in completions. */
public record TokenUsage(long prompt, long completion) {
  public static final TokenUsage NONE = new TokenUsage(0, 0);

  public TokenUsage {
    if (prompt < 0 || completion < 0) {
      throw new IllegalArgumentException("token counts cannot be negative");
    }
  }

  public long total() {
    return prompt + completion;
  }

  /** The sum of all the usages; absent ones (null) count as none. */
  public static TokenUsage sum(java.util.stream.Stream<TokenUsage> usages) {
    return usages.reduce(NONE, (total, usage) -> total.plus(usage), TokenUsage::plus);
  }

  public TokenUsage plus(TokenUsage other) {
    return other == null
        ? this
        : new TokenUsage(prompt + other.prompt, completion + other.completion);
  }
}
