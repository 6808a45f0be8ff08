package dev.autodoc.worker.docs.llm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.local.testing.ChatCompletions;
import dev.autodoc.support.llm.LlmClient;
import dev.autodoc.support.llm.LlmSettings;
import dev.autodoc.worker.docs.RealCode;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.docs.pages.QualityLoop;
import dev.autodoc.worker.docs.pages.QualityScorer;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.structure.StructureSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LLM agents against a local server speaking the chat-completions protocol: what is sent,
 * structured output checked against the schema, tokens counted, 429 and 5xx retried, 400 refused.
 */
class LlmAgentTest {
  private static final String CHAT = "/v1/chat/completions";
  private static WireMockServer server;
  private static DocContext cli;

  @BeforeAll
  static void start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    cli = RealCode.context("commons-cli");
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  private static LlmClient client(int attempts) {
    return new LlmClient(
        new LlmSettings(
            server.baseUrl() + "/v1",
            Optional.of("sk-test"),
            "autodoc-test-model",
            Duration.ofSeconds(10),
            attempts,
            Duration.ofMillis(10),
            0.2));
  }

  /** A chat completion answering {@code content}, with the given token usage. */
  private static String completion(String content, int prompt, int completion) {
    return ChatCompletions.reply("autodoc-test-model", content, prompt, completion);
  }

  private static void answer(String state, String next, int status, String body) {
    server.stubFor(
        post(urlEqualTo(CHAT))
            .inScenario("chat")
            .whenScenarioStateIs(state)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body))
            .willSetStateTo(next));
  }

  private static JsonNode body(LoggedRequest request) throws Exception {
    return EventCodec.json().readTree(request.getBodyAsString());
  }

  @Test
  void theStructureComesBackAsJsonCheckedAgainstTheSchemaAndTheCode() throws Exception {
    ObjectNode planned = (ObjectNode) StructureSchema.toJson(cli.structure());
    ((ObjectNode) planned.get("pages").get(0)).put("title", "Commons CLI at a glance");
    ObjectNode invented = planned.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode)
            invented.get("pages").get(1).get("ownedSymbols"))
        .add("org.apache.commons.cli.Nope");
    answer(Scenario.STARTED, "schema", 200, completion("{\"scope\": 42}", 900, 20));
    answer("schema", "grounding", 200, completion(invented.toString(), 1000, 400));
    answer("grounding", "done", 200, completion("```json\n" + planned + "\n```", 1100, 420));

    List<dev.autodoc.worker.docs.AgentSession.Step> steps = new ArrayList<>();
    LlmStructurePlanner.Planned result =
        new LlmStructurePlanner(client(1)).plan(cli, 3, steps::add);

    assertThat(result.structure().overview().title()).isEqualTo("Commons CLI at a glance");
    assertThat(result.structure().pages()).hasSameSizeAs(cli.structure().pages());
    assertThat(result.tokens()).isEqualTo(new TokenUsage(3000, 840));
    assertThat(steps).extracting(s -> s.score()).containsExactly(0.0, 0.0, 1.0);
    List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo(CHAT)));
    assertThat(requests).hasSize(3);
    JsonNode first = body(requests.get(0));
    assertThat(first.path("model").asText()).isEqualTo("autodoc-test-model");
    assertThat(first.path("response_format").path("type").asText()).isEqualTo("json_object");
    assertThat(first.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(first.path("messages").get(0).path("content").asText())
        .contains("\"$schema\"", "ownedSymbols");
    // Grounded: the prompt carries the parsers' declarations.
    assertThat(first.path("messages").get(1).path("content").asText())
        .contains("org.apache.commons.cli.HelpFormatter", "class org.apache.commons.cli.Options");
    assertThat(requests.get(0).getHeader("Authorization")).isEqualTo("Bearer sk-test");
    // Each refusal goes back with its problems.
    assertThat(body(requests.get(1)).path("messages").get(1).path("content").asText())
        .contains("required property 'pages' not found");
    assertThat(body(requests.get(2)).path("messages").get(1).path("content").asText())
        .contains("owns a symbol the code lacks: org.apache.commons.cli.Nope");
  }

  @Test
  void aStructureRefusedEveryTimeFailsTheScopeNamingWhy() {
    answer(Scenario.STARTED, Scenario.STARTED, 200, completion("[]", 10, 1));
    assertThatThrownBy(() -> new LlmStructurePlanner(client(1)).plan(cli, 2, s -> {}))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("refused 2 times")
        .satisfies(
            e -> assertThat(((AutodocException) e).reason()).isEqualTo(Reason.LLM_INVALID_OUTPUT));
  }

  @Test
  void pagesAreWrittenByTheModelAndHeldToTheSameQualityLoop() throws Exception {
    PagePlan plan =
        cli.structure().pages().stream()
            .filter(p -> p.kind() == PagePlan.Kind.MODULE)
            .findFirst()
            .orElseThrow();
    String good = new StaticPageGenerator().generate(plan, cli, List.of());
    answer(Scenario.STARTED, "second", 200, completion("# CLI\n\nIt parses `Nonsense`.", 5000, 30));
    answer("second", "done", 200, completion(good, 5200, 2400));

    Page page =
        new QualityLoop(new LlmPageGenerator(client(1)), new QualityScorer())
            .run(plan, cli, 0.7, 3);

    assertThat(page.attempts()).isEqualTo(2);
    assertThat(page.score()).isGreaterThanOrEqualTo(0.7);
    assertThat(page.markdown()).isEqualTo(good.strip() + "\n");
    assertThat(page.tokens()).isEqualTo(new TokenUsage(10200, 2430));
    List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo(CHAT)));
    JsonNode first = body(requests.get(0));
    assertThat(first.has("response_format")).isFalse();
    String facts = first.path("messages").get(1).path("content").asText();
    // Every owned symbol is in the prompt with its signature and the link to use.
    cli.symbolsOf(plan)
        .forEach(s -> assertThat(facts).contains(s.name()).contains("#L" + s.line()));
    assertThat(facts).contains("Required sections: Overview, API, Source files");
    assertThat(body(requests.get(1)).path("messages").get(1).path("content").asText())
        .contains("unknown identifier `Nonsense`", "missing section `## API`");
  }

  @Test
  void aRateLimitIsRetriedAndTheRetryAnswers() {
    answer(
        Scenario.STARTED,
        "limited",
        429,
        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}");
    answer("limited", "done", 200, completion("ok", 7, 1));
    LlmClient.Reply reply = client(3).chat("system", "user", false);
    assertThat(reply.text()).isEqualTo("ok");
    assertThat(reply.tokens()).isEqualTo(new TokenUsage(7, 1));
    server.verify(2, postRequestedFor(urlEqualTo(CHAT)));
  }

  @Test
  void aBadRequestFailsAtOnceAndForGood() {
    answer(
        Scenario.STARTED,
        Scenario.STARTED,
        400,
        "{\"error\":{\"message\":\"Unknown model\",\"type\":\"invalid_request_error\"}}");
    assertThatThrownBy(() -> client(3).chat("system", "user", false))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("refused")
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("Unknown model")
        .satisfies(e -> assertThat(((AutodocException) e).reason()).isEqualTo(Reason.LLM_REJECTED));
    server.verify(1, postRequestedFor(urlEqualTo(CHAT)));
  }

  @Test
  void serverErrorsAreRetriedThenReportedTransient() {
    answer(Scenario.STARTED, Scenario.STARTED, 503, "{\"error\":{\"message\":\"overloaded\"}}");
    assertThatThrownBy(() -> client(3).chat("system", "user", true))
        .isInstanceOf(TransientException.class)
        .hasMessageContaining("failed 3 times")
        .hasMessageContaining("HTTP 503")
        .satisfies(
            e -> assertThat(((AutodocException) e).reason()).isEqualTo(Reason.LLM_UNAVAILABLE));
    server.verify(3, postRequestedFor(urlEqualTo(CHAT)));
    server.verify(
        postRequestedFor(urlEqualTo(CHAT))
            .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_object"))));
  }
}
