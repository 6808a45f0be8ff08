package dev.autodoc.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.local.testing.ChatCompletions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local server speaking the chat-completions protocol in place of a model. For {@code ask}'s
 * requests it answers as a model would: by default it quotes its best documentation source's first
 * sentence and cites it (what a faithful model does); a test may make it answer otherwise. Every
 * request's user message is kept, and each reply reports {@link #PROMPT} and {@link #COMPLETION}
 * tokens; an answer of null is a 503, as an overloaded endpoint gives.
 */
final class StandInModel implements AutoCloseable {
  static final int PROMPT = 1000;
  static final int COMPLETION = 100;

  private static final Pattern SOURCE =
      Pattern.compile("(?m)^### Source (\\[[^\\]]+]) \\((code|documentation), commit \\w+\\)$");
  private static final Pattern QUESTION = Pattern.compile("\\AQuestion: (.*)");

  /** A source as the request gives it. */
  record Source(String citation, boolean code, String text) {}

  private final HttpServer server;
  private final List<String> prompts = new CopyOnWriteArrayList<>();

  private StandInModel(Function<JsonNode, String> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          JsonNode request = EventCodec.json().readTree(exchange.getRequestBody());
          prompts.add(user(request));
          String content = answer.apply(request);
          if (content == null) {
            // As an overloaded endpoint answers.
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
          }
          byte[] bytes =
              ChatCompletions.reply(request.path("model").asText(), content, PROMPT, COMPLETION)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  /** A server answering each request's user message with {@code answer}. */
  static StandInModel start(Function<String, String> answer) throws IOException {
    return new StandInModel(request -> answer.apply(user(request)));
  }

  /** A server answering each whole request (its JSON body) with {@code answer}. */
  static StandInModel forRequests(Function<JsonNode, String> answer) throws IOException {
    return new StandInModel(answer);
  }

  /** The user message of a request: the second, after the system's. */
  static String user(JsonNode request) {
    return request.path("messages").get(1).path("content").asText();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** The user messages of every request so far. */
  List<String> prompts() {
    return List.copyOf(prompts);
  }

  static String question(String prompt) {
    Matcher m = QUESTION.matcher(prompt);
    return m.find() ? m.group(1) : "";
  }

  /** Whether the request is a retry, carrying the findings of the answer before. */
  static boolean retry(String prompt) {
    return prompt.contains("\nYour previous answer:");
  }

  static List<Source> sources(String prompt) {
    String given = prompt.split("\nYour previous answer:", 2)[0];
    List<Source> sources = new ArrayList<>();
    Matcher m = SOURCE.matcher(given);
    List<int[]> starts = new ArrayList<>();
    List<String[]> heads = new ArrayList<>();
    while (m.find()) {
      starts.add(new int[] {m.start(), m.end()});
      heads.add(new String[] {m.group(1), m.group(2)});
    }
    for (int i = 0; i < starts.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : given.length();
      sources.add(
          new Source(
              heads.get(i)[0],
              heads.get(i)[1].equals("code"),
              given.substring(starts.get(i)[1], end).strip()));
    }
    return sources;
  }

  /**
   * A faithful answer: the first sentence of prose of the best documentation source, citing it; or,
   * with only code, a sentence citing the code.
   */
  static String extract(String prompt) {
    List<Source> sources = sources(prompt);
    for (Source source : sources) {
      String sentence = source.code() ? null : firstSentence(source);
      if (sentence != null) {
        return sentence + " " + source.citation() + ".";
      }
    }
    return sources.stream()
        .filter(Source::code)
        .findFirst()
        .map(s -> "The declaration is in these lines " + s.citation() + ".")
        .orElse("NO_EVIDENCE");
  }

  /**
   * A faithful answer drawing on several sources, as a model writing a paragraph would: the first
   * sentence of each of the best three documentation sources, each citing its own, then where the
   * code the question names is, citing its first lines.
   */
  static String synthesize(String prompt) {
    List<Source> sources = sources(prompt);
    List<String> sentences = new ArrayList<>();
    for (Source source : sources) {
      String sentence = source.code() ? null : firstSentence(source);
      if (sentence != null && sentences.size() < 3) {
        sentences.add(sentence + " " + source.citation() + ".");
      }
    }
    sources.stream()
        .filter(Source::code)
        .findFirst()
        .ifPresent(
            s -> {
              // Its first line only: a model may cite fewer lines than a source shows.
              String first = s.citation().replaceFirst(":(\\d+)-\\d+]$", ":$1]");
              sentences.add("The declaration starts at " + first + ".");
            });
    return sentences.isEmpty() ? "NO_EVIDENCE" : String.join(" ", sentences);
  }

  /** The first sentence of the source's prose of three words or more, without its full stop. */
  private static String firstSentence(Source source) {
    boolean fenced = false;
    for (String line : source.text().lines().toList()) {
      String s = line.strip();
      if (s.startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced || s.isEmpty() || s.startsWith("#") || s.startsWith("|") || s.startsWith("<")) {
        continue;
      }
      String sentence = s.replaceFirst("^[-*]\\s+", "").split("(?<=[.!?])\\s+", 2)[0];
      sentence = sentence.replaceAll("[.!?:]$", "");
      if (sentence.split("\\s+").length >= 3) {
        return sentence;
      }
    }
    return null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
