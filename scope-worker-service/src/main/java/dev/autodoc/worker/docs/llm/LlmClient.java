package dev.autodoc.worker.docs.llm;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.event.TokenUsage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;

/**
 * One OpenAI-compatible chat endpoint, through langchain4j. Its own retries are off: this client
 * retries what is worth retrying (rate limits, 5xx, timeouts, lost connections) with doubling
 * waits, then reports the endpoint unavailable (transient, so the step or the scope is tried again
 * later). A refusal (another 4xx: key, model, request) is permanent at once.
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
    long wait = settings.backoff().toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
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
      } catch (NonRetriableException e) {
        throw new PermanentException(
            Reason.LLM_REJECTED, "the LLM endpoint refused the request: " + describe(e), e);
      } catch (PermanentException e) {
        throw e;
      } catch (RuntimeException e) {
        if (attempt >= settings.attempts()) {
          throw new TransientException(
              Reason.LLM_UNAVAILABLE,
              "the LLM endpoint failed " + attempt + " times, last: " + describe(e),
              e);
        }
        sleep(wait);
        wait *= 2;
      }
    }
  }

  private static long count(Integer tokens) {
    return tokens == null ? 0 : tokens;
  }

  /** The HTTP status and message behind a failure, wherever in the causes it sits. */
  private static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HttpException http) {
        return "HTTP " + http.statusCode() + " " + abbreviate(http.getMessage());
      }
    }
    return failure.getClass().getSimpleName() + ": " + abbreviate(failure.getMessage());
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException(Reason.LLM_UNAVAILABLE, "interrupted waiting to retry", e);
    }
  }
}
