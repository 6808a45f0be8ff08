package dev.autodoc.support.llm;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.NonRetriableException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Calls to an OpenAI-compatible endpoint (chat or embeddings) through langchain4j, with
 * langchain4j's own retries off. What is worth retrying (rate limits, 5xx, timeouts, lost
 * connections) is tried again with doubling waits, then reported unavailable ({@link
 * Reason#LLM_UNAVAILABLE}, transient); a refusal (another 4xx: key, model, request) is permanent at
 * once ({@link Reason#LLM_REJECTED}). Every message names the endpoint and, when there is one, the
 * HTTP status.
 */
public final class EndpointCalls {
  private EndpointCalls() {}

  public static <T> T call(String endpoint, int attempts, Duration backoff, Supplier<T> call) {
    long wait = backoff.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (NonRetriableException e) {
        throw new PermanentException(
            Reason.LLM_REJECTED, "the " + endpoint + " refused the request: " + describe(e), e);
      } catch (PermanentException e) {
        throw e;
      } catch (RuntimeException e) {
        if (attempt >= attempts) {
          throw new TransientException(
              Reason.LLM_UNAVAILABLE,
              "the " + endpoint + " failed " + attempt + " times, last: " + describe(e),
              e);
        }
        sleep(wait);
        wait *= 2;
      }
    }
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
