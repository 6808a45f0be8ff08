package dev.autodoc.local.cli;

import static dev.autodoc.local.cli.McpTesting.call;
import static dev.autodoc.local.cli.McpTesting.error;
import static dev.autodoc.local.cli.McpTesting.structured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.local.testing.GitFixture;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MCP tool {@code ask} on a repository documented by a real job, its orchestrator configured
 * with a local chat-completions server ({@link StandInModel}) in place of a model: a faithful
 * answer comes back verified with citations that resolve; an answer that invents a name, leaves a
 * claim uncited and cites lines past a file's end is caught, retried with the findings, then
 * returned marked; one fixed on its retry passes; a question nothing answers gets "no evidence"
 * without asking the model, and one whose sources the model finds wanting gets it from the model;
 * and every request's tokens are counted.
 */
class AskIT {
  private static final Path PROJECT =
      Path.of(System.getProperty("autodoc.project.dir", "../../..")).toAbsolutePath();
  private static final String LEDGER =
      "package ledger;\n\n/** Books every payment twice, once per side. */\n"
          + "public class Ledger {\n  /** Books one payment on both accounts. */\n"
          + "  public void book(Payment payment) {}\n}\n";
  private static final Pattern CITATION =
      Pattern.compile("\\[([a-z0-9._-]+):([^\\]#:]+)#([^\\]]+)]");

  private static StandInModel model;
  private static LocalDeployment deployment;
  private static Path dataDir;
  private static GitFixture ledger;
  private static String ledgerId;

  @BeforeAll
  static void documentARepository() throws Exception {
    model = StandInModel.start(AskIT::answer);
    ledger = CliTesting.repository("ask-ledger");
    ledger
        .write(".autodoc.yaml", "name: ledger\n")
        .write("src/ledger/Ledger.java", LEDGER)
        .write(
            "src/ledger/Payment.java",
            "package ledger;\n\n/** Money moving from one account to another. */\n"
                + "public record Payment(String from, String to, long cents) {}\n")
        .commit("ledger");
    ledgerId = RepositoryRef.parse(ledger.url()).id();
    deployment =
        LocalDeployment.start(
            PROJECT,
            dataDir = CliTesting.newDataDir("ask"),
            new LocalDeployment.ServiceOptions(
                1,
                Map.of(),
                Map.of(
                    "autodoc.orchestrator.llm.base-url",
                    model.baseUrl(),
                    "autodoc.orchestrator.llm.model",
                    "local-model",
                    "autodoc.orchestrator.llm.api-key",
                    "sk-local",
                    "autodoc.orchestrator.llm.backoff",
                    "50ms",
                    "autodoc.orchestrator.llm.attempts",
                    "3")),
            m -> {});
    var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
    String job = api.submit(Map.of("repository", ledger.url())).body().path("id").asText();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> api.job(job).body().path("status").asText().equals("COMPLETED"));
    CliTesting.awaitIndexed(api, ledgerId);
  }

  @AfterAll
  static void stop() throws Exception {
    if (deployment != null) {
      deployment.close();
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
    if (model != null) {
      model.close();
    }
    if (ledger != null) {
      ledger.close();
    }
  }

  /** How the stand-in model answers: by what the question asks of it. */
  private static String answer(String prompt) {
    String question = StandInModel.question(prompt);
    if (question.contains("overloaded")) {
      return null;
    }
    if (question.contains("invent")
        || (question.contains("second") && !StandInModel.retry(prompt))) {
      String cited = StandInModel.sources(prompt).getFirst().citation();
      return "`Ledger.refund` gives a payment back "
          + cited
          + ". It also e-mails the customer through `Mailer.send` about every refund.\n\nThe refund"
          + " is written in ["
          + ledgerId
          + ":src/ledger/Ledger.java:40-45].";
    }
    if (question.contains("pension")) {
      return "NO_EVIDENCE";
    }
    if (question.contains("declared")) {
      return StandInModel.sources(prompt).stream()
          .filter(StandInModel.Source::code)
          .findFirst()
          .map(s -> "`Ledger.book` is declared in these lines " + s.citation() + ".")
          .orElse("NO_EVIDENCE");
    }
    return StandInModel.extract(prompt);
  }

  @Test
  void aFaithfulAnswerComesBackVerifiedWithCitationsThatResolve() {
    try (McpSyncClient client = McpTesting.client(deployment.apiUrl(), deployment.apiKey())) {
      client.initialize();
      McpSchema.Tool ask =
          client.listTools().tools().stream()
              .filter(t -> t.name().equals("ask"))
              .findFirst()
              .orElseThrow();
      assertThat(ask.inputSchema()).containsEntry("required", List.of("question"));
      assertThat(ask.outputSchema()).containsKey("required");
      int before = model.prompts().size();

      var answer = ask(client, Map.of("question", "How does the ledger book a payment?"));
      System.out.println("faithful answer: " + answer);

      assertThat(answer)
          .containsEntry("verified", true)
          .containsEntry("evidence", true)
          .containsEntry("attempts", 1);
      assertThat((List<?>) answer.get("unverified")).isEmpty();
      String text = (String) answer.get("answer");
      assertThat(text).doesNotContain("[unverified");
      // The model was given the sources, and cited one of them.
      String prompt = model.prompts().get(before);
      assertThat(prompt)
          .startsWith("Question: How does the ledger book a payment?")
          .contains("### Source [" + ledgerId + ":");
      Matcher cited = CITATION.matcher(text);
      assertThat(cited.find()).as(text).isTrue();
      assertThat(cited.group(1)).isEqualTo(ledgerId);
      assertThat(citations(answer))
          .singleElement()
          .satisfies(
              c ->
                  assertThat(c)
                      .containsEntry("page", cited.group(2))
                      .containsEntry("anchor", cited.group(3))
                      .containsEntry("resolves", true));
      // What it says is in the section it cites.
      String section =
          (String)
              structured(
                      call(
                          client,
                          "read_page",
                          Map.of(
                              "repository",
                              ledgerId,
                              "path",
                              cited.group(2),
                              "section",
                              cited.group(3))))
                  .get("markdown");
      String claim = text.substring(0, cited.start()).strip();
      assertThat(section).contains(claim);
      assertThat(answer.get("tokens"))
          .isEqualTo(Map.of("prompt", StandInModel.PROMPT, "completion", StandInModel.COMPLETION));
    }
  }

  @Test
  void aCodeQuestionCitesTheLinesOfTheDeclaration() {
    try (McpSyncClient client = McpTesting.client(deployment.apiUrl(), deployment.apiKey())) {
      var answer =
          ask(
              client,
              Map.of("question", "Where is `Ledger.book` declared?", "repository", ledgerId));
      System.out.println("code answer: " + answer);
      assertThat(answer).containsEntry("verified", true).containsEntry("attempts", 1);
      var citation = citations(answer).getFirst();
      assertThat(citation)
          .containsEntry("file", "src/ledger/Ledger.java")
          .containsEntry("resolves", true);
      int line = (Integer) citation.get("line");
      // The cited line of the file declares the method.
      assertThat(LEDGER.lines().toList().get(line - 1)).contains("void book(Payment payment)");
    }
  }

  @Test
  void anInventedNameIsCaughtRetriedThenMarked() {
    try (McpSyncClient client = McpTesting.client(deployment.apiUrl(), deployment.apiKey())) {
      int before = model.prompts().size();
      var answer = ask(client, Map.of("question", "Can the ledger give a payment back? (invent)"));
      System.out.println("invented answer: " + answer);

      assertThat(answer).containsEntry("verified", false).containsEntry("attempts", 2);
      List<String> prompts = model.prompts().subList(before, model.prompts().size());
      assertThat(prompts).hasSize(2);
      // The retry carried what failed.
      assertThat(prompts.get(1))
          .contains("It failed these checks")
          .contains("unknown identifier `Ledger.refund`");
      @SuppressWarnings("unchecked")
      List<String> unverified = (List<String>) answer.get("unverified");
      assertThat(unverified)
          .anySatisfy(f -> assertThat(f).contains("unknown identifier `Ledger.refund`"))
          .anySatisfy(
              f ->
                  assertThat(f)
                      .contains("claim without a citation")
                      .contains("e-mails the customer"))
          .anySatisfy(f -> assertThat(f).contains("src/ledger/Ledger.java has 7 lines"));
      String text = (String) answer.get("answer");
      assertThat(text)
          .contains("`Ledger.refund` [unverified: not in the code]")
          .contains("every refund. [unverified: no citation]")
          .contains("`Mailer.send` [unverified: not in the code]")
          .contains("Ledger.java:40-45] [unverified: src/ledger/Ledger.java has 7 lines");
      assertThat(citations(answer))
          .anySatisfy(c -> assertThat(c).containsEntry("resolves", true))
          .anySatisfy(
              c -> assertThat(c).containsEntry("line", 40).containsEntry("resolves", false));
      assertThat(answer.get("tokens"))
          .isEqualTo(
              Map.of("prompt", 2 * StandInModel.PROMPT, "completion", 2 * StandInModel.COMPLETION));
    }
  }

  @Test
  void anAnswerFixedOnItsRetryPasses() {
    try (McpSyncClient client = McpTesting.client(deployment.apiUrl(), deployment.apiKey())) {
      var answer =
          ask(client, Map.of("question", "How does the ledger book a payment, on a second try?"));
      assertThat(answer).containsEntry("verified", true).containsEntry("attempts", 2);
      assertThat((String) answer.get("answer"))
          .doesNotContain("Ledger.refund")
          .doesNotContain("[unverified");
    }
  }

  @Test
  void aQuestionNothingAnswersSaysSoWithoutAskingTheModel() {
    try (McpSyncClient client = McpTesting.client(deployment.apiUrl(), deployment.apiKey())) {
      int before = model.prompts().size();
      var answer = ask(client, Map.of("question", "What is the boiling point of water on Mars?"));
      System.out.println("no evidence: " + answer);
      // What search found for it is below ask.min-score (0.6): unrelated text scores lower.
      var hits =
          McpTesting.list(
              call(
                  client,
                  "search_docs",
                  Map.of("query", "What is the boiling point of water on Mars?", "limit", 3)),
              "results");
      System.out.println(
          "its best search scores: " + hits.stream().map(h -> h.get("score")).toList());
      assertThat(hits).allSatisfy(h -> assertThat((Double) h.get("score")).isLessThan(0.6));
      assertThat(answer).containsEntry("evidence", false).containsEntry("attempts", 0);
      assertThat((String) answer.get("answer")).startsWith("No evidence");
      assertThat((List<?>) answer.get("citations")).isEmpty();
      assertThat(model.prompts()).hasSize(before);
    }
  }

  @Test
  void aModelFindingNoAnswerInTheSourcesSaysSoToo() {
    try (McpSyncClient client = McpTesting.client(deployment.apiUrl(), deployment.apiKey())) {
      var answer = ask(client, Map.of("question", "How does the ledger book a pension payment?"));
      // Sources were found and given; the model said they do not answer.
      assertThat((List<?>) answer.get("sources")).isNotEmpty();
      assertThat(answer).containsEntry("evidence", false).containsEntry("attempts", 1);
      assertThat((String) answer.get("answer")).startsWith("No evidence");
      assertThat((List<?>) answer.get("citations")).isEmpty();
      assertThat(answer.get("tokens"))
          .isEqualTo(Map.of("prompt", StandInModel.PROMPT, "completion", StandInModel.COMPLETION));
    }
  }

  @Test
  void mistakesAreToolErrors() {
    try (McpSyncClient client = McpTesting.client(deployment.apiUrl(), deployment.apiKey())) {
      assertThat(error(client, "ask", Map.of())).contains("question");
      assertThat(error(client, "ask", Map.of("question", "x".repeat(2001)))).contains("question");
      assertThat(
              error(
                  client,
                  "ask",
                  Map.of("question", "What is a ledger?", "repository", "nothing-here")))
          .contains("no repository nothing-here");
    }
  }

  @Test
  void aModelThatCannotAnswerIsAToolErrorSayingSo() {
    try (McpSyncClient client = McpTesting.client(deployment.apiUrl(), deployment.apiKey())) {
      int before = model.prompts().size();
      assertThat(error(client, "ask", Map.of("question", "How does the overloaded ledger book?")))
          .contains("no answer")
          .contains("LLM endpoint failed 3 times")
          .contains("503");
      assertThat(model.prompts()).hasSize(before + 3);
    }
  }

  @Test
  void everyRequestsTokensAreCounted() throws Exception {
    try (McpSyncClient client = McpTesting.client(deployment.apiUrl(), deployment.apiKey())) {
      double before = tokens("prompt", ledgerId);
      call(
          client,
          "ask",
          Map.of("question", "How does the ledger book a payment?", "repository", ledgerId));
      assertThat(tokens("prompt", ledgerId) - before).isEqualTo(StandInModel.PROMPT);
    }
  }

  /** The orchestrator's counter of LLM tokens, as Prometheus reads it. */
  private static double tokens(String kind, String repository) throws Exception {
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(deployment.apiUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m =
        Pattern.compile(
                "(?m)^autodoc_llm_tokens_total\\{(?=[^}]*kind=\""
                    + kind
                    + "\")(?=[^}]*repository=\""
                    + Pattern.quote(repository)
                    + "\")[^}]*} (\\S+)$")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static Map<String, Object> ask(McpSyncClient client, Map<String, Object> arguments) {
    return structured(call(client, "ask", arguments));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> citations(Map<String, Object> answer) {
    return (List<Map<String, Object>>) answer.get("citations");
  }
}
