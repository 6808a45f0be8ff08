package dev.autodoc.support.llm;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.TokenUsage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;

/**
 * One OpenAI-compatible chat endpoint, through langchain4j, retried and classified by {@link
 * EndpointCalls}: unavailable is transient (the step or the scope is tried again later), a refusal
 * is permanent.
 */
public final class LlmClient {
  /** What the model answered and the tokens the exchange cost. */
  public record Reply(String text, TokenUsage tokens) {}

  private final LlmSettings settings;
  private final ChatModel model;

  public LlmClient(LlmSettings settings) {
    this.settings = settings;
    this.model =
        OpenAiChatModel.builder()
            .baseUrl(settings.baseUrl())
            .apiKey(settings.apiKey().orElse("not-needed"))
            .modelName(settings.model())
            .timeout(settings.timeout())
            .temperature(settings.temperature())
            .maxRetries(0)
            .build();
  }

  public String model() {
    return settings.model();
  }

  /** Asks once, retrying while the endpoint is unavailable; {@code json} asks for a JSON object. */
  public Reply chat(String system, String user, boolean json) {
    ChatRequest request =
        ChatRequest.builder()
            .messages(SystemMessage.from(system), UserMessage.from(user))
            .responseFormat(json ? ResponseFormat.JSON : ResponseFormat.TEXT)
            .build();
    return EndpointCalls.call(
        "LLM endpoint",
        settings.attempts(),
        settings.backoff(),
        () -> {
          ChatResponse response = model.chat(request);
          var usage = response.tokenUsage();
          TokenUsage tokens =
              usage == null
                  ? TokenUsage.NONE
                  : new TokenUsage(count(usage.inputTokenCount()), count(usage.outputTokenCount()));
          String text = response.aiMessage() == null ? null : response.aiMessage().text();
          if (text == null) {
            throw new PermanentException(
                Reason.LLM_INVALID_OUTPUT, "the LLM endpoint answered without text");
          }
          return new Reply(text, tokens);
        });
  }

  private static long count(Integer tokens) {
    return tokens == null ? 0 : tokens;
  }
}
