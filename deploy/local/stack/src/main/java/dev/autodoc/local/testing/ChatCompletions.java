package dev.autodoc.local.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autodoc.common.event.EventCodec;

/**
 * Answers in the OpenAI chat-completions protocol, for the local servers that stand in for an LLM
 * endpoint in tests: one assistant message and the token usage it reports.
 */
public final class ChatCompletions {
  private ChatCompletions() {}

  /** The JSON body of a chat completion answering {@code content}. */
  public static String reply(String model, String content, int promptTokens, int completionTokens) {
    ObjectNode body = EventCodec.json().createObjectNode();
    body.put("id", "chatcmpl-local").put("object", "chat.completion").put("created", 1);
    body.put("model", model);
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", content);
    body.putObject("usage")
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    return body.toString();
  }
}
