package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.RealSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A scope in {@code agent.mode: llm} documented through a worker talking to a local server that
 * speaks the chat-completions protocol: the structure comes back as JSON, pages as Markdown, and
 * the tokens the server reports are counted on each page and session, the scope and the job.
 */
class LlmModeIT {
  private static final int PROMPT = StandInModel.PROMPT;
  private static final int COMPLETION = StandInModel.COMPLETION;
  private static final Pattern SYMBOL = Pattern.compile("(?m)^- [a-z]+ \\| ([^ |]+) \\|");
  private static final Pattern SECTIONS = Pattern.compile("Required sections: (.*)");
  private static final Pattern TITLE = Pattern.compile("Page: (.*) \\(");

  @Test
  void anLlmScopeIsDocumentedAndEveryTokenIsCounted() throws Exception {
    StandInModel llm = fakeChatServer();
    Path dataDir = CliTesting.newDataDir("llm");
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    var worker =
        Map.of(
            "autodoc.worker.llm.base-url",
            llm.baseUrl(),
            "autodoc.worker.llm.api-key",
            "sk-local",
            "autodoc.worker.llm.model",
            "local-model");
    try (GitFixture repo = CliTesting.repository("llm");
        LocalDeployment deployment =
            LocalDeployment.start(
                project, dataDir, new LocalDeployment.ServiceOptions(1, worker), m -> {})) {
      Path source = RealSources.SEMVER.unpacked();
      try (Stream<Path> files = Files.walk(source.resolve("src"))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Path out = repo.dir().resolve("semver").resolve(source.relativize(file));
          Files.createDirectories(out.getParent());
          Files.copy(file, out);
        }
      }
      repo.write("semver/.autodoc.yaml", "name: semver\nagent:\n  mode: llm\n").commit("semver");
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      String id = api.submit(Map.of("repository", repo.url())).body().path("id").asText();
      await()
          .atMost(Duration.ofMinutes(3))
          .until(() -> api.job(id).body().path("status").asText().matches("COMPLETED|FAILED"));
      JsonNode job = api.job(id).body();

      assertThat(job.path("status").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
      // One structure request, then one request per page (each passed on its first try).
      int requests = llm.prompts().size();
      assertThat(requests).isGreaterThanOrEqualTo(3);
      JsonNode scope = job.path("scopes").get(0);
      assertThat(scope.path("tokens").path("prompt").asLong()).isEqualTo((long) requests * PROMPT);
      assertThat(scope.path("tokens").path("completion").asLong())
          .isEqualTo((long) requests * COMPLETION);
      assertThat(job.path("tokens").path("prompt").asLong()).isEqualTo((long) requests * PROMPT);
      assertThat(scope.path("quality").path("belowThreshold").asInt()).isZero();

      var endpoints = deployment.stack().endpoints();
      try (var db =
          DriverManager.getConnection(
              endpoints.jdbcUrl(), endpoints.postgresUser(), endpoints.postgresPassword())) {
        var pages =
            db.createStatement()
                .executeQuery(
                    "select count(*), sum(prompt_tokens), min(prompt_tokens) from worker.page"
                        + " where kind = 'PAGE'");
        pages.next();
        int pageCount = pages.getInt(1);
        assertThat(pageCount).isEqualTo(requests - 1);
        assertThat(pages.getLong(2)).isEqualTo((long) pageCount * PROMPT);
        assertThat(pages.getLong(3)).isEqualTo(PROMPT);
        var sessions =
            db.createStatement()
                .executeQuery(
                    "select count(*), sum(prompt_tokens), sum(completion_tokens),"
                        + " count(*) filter (where page_path = '(structure)')"
                        + " from worker.agent_session where agent = 'llm' and status = 'COMPLETED'");
        sessions.next();
        assertThat(sessions.getInt(1)).isEqualTo(requests);
        assertThat(sessions.getLong(2)).isEqualTo((long) requests * PROMPT);
        assertThat(sessions.getLong(3)).isEqualTo((long) requests * COMPLETION);
        assertThat(sessions.getInt(4)).isEqualTo(1);
      }
    } finally {
      llm.close();
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  /**
   * Answers chat completions the way a careful model would: the structure request with the proposal
   * it was given, a page request with a page naming every symbol it lists.
   */
  private static StandInModel fakeChatServer() throws IOException {
    return StandInModel.forRequests(
        request ->
            request.path("response_format").path("type").asText().equals("json_object")
                ? proposal(StandInModel.user(request))
                : page(StandInModel.user(request)));
  }

  private static String proposal(String user) {
    int start =
        user.indexOf("Proposal from the parsers:\n") + "Proposal from the parsers:\n".length();
    return user.substring(start, user.indexOf('\n', start));
  }

  private static String page(String user) {
    Matcher title = TITLE.matcher(user);
    title.find();
    Matcher sections = SECTIONS.matcher(user);
    sections.find();
    List<String> names = new ArrayList<>();
    Matcher symbol = SYMBOL.matcher(user);
    while (symbol.find()) {
      names.add("`" + symbol.group(1) + "`");
    }
    var md = new StringBuilder("# ").append(title.group(1)).append("\n\n");
    for (String section : sections.group(1).split(", ")) {
      md.append("## ").append(section).append("\n\n");
      if (section.equals("API") || section.equals("Overview")) {
        md.append(names.isEmpty() ? "Nothing declared here." : String.join(", ", names));
        md.append("\n\n");
      } else {
        md.append("See the code.\n\n");
      }
    }
    return md.toString();
  }
}
