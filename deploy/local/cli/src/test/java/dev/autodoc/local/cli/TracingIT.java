package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.local.cli.OtlpReceiver.ReceivedSpan;
import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.testing.GitFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One job, traced as the services export it to a collector: a trace from the REST call to the
 * callback, parented across every Kafka hop, with the trace id on the job and on its log lines.
 */
class TracingIT {
  private static final String ORCHESTRATOR = "autodoc-orchestrator";
  private static final String WORKER = "autodoc-scope-worker";
  private static final String CALLBACK = "autodoc-callback";
  private static final List<String> WORKER_STEPS =
      List.of("fetch", "scan", "checkout", "extract", "generate", "embed");

  @Test
  void oneJobOfThreeScopesIsOneTraceFromTheRestCallToTheCallback() throws Exception {
    Path dataDir = CliTesting.newDataDir("tracing");
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    try (OtlpReceiver collector = OtlpReceiver.start();
        CallbackIT.Receiver hook = CallbackIT.Receiver.answering(200);
        GitFixture repo = threeScopes()) {
      // As a user asks for traces: OpenTelemetry's own variables, mapped by the CLI.
      Map<String, String> settings = collector.serviceSettings();
      settings.put("quarkus.log.console.json.enabled", "true");
      settings.put("quarkus.log.category.\"dev.autodoc\".level", "DEBUG");
      String jobId;
      String traceId;
      try (LocalDeployment deployment =
          LocalDeployment.start(
              project,
              dataDir,
              new LocalDeployment.ServiceOptions(1, settings, settings),
              m -> {})) {
        var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
        jobId =
            api.submit(Map.of("repository", repo.url(), "callbackUrl", hook.url()))
                .body()
                .path("id")
                .asText();
        JsonNode job = CliTesting.awaitEnded(api, jobId, Duration.ofSeconds(180));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("COMPLETED");
        assertThat(job.path("scopes")).hasSize(3);
        traceId = job.path("traceId").asText();
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .untilAsserted(
                () ->
                    assertThat(named(collector.spans(), "callback attempt"))
                        .as(collector.summary())
                        .hasSize(1));
        assertThat(hook.requests()).hasSize(1);
      }

      List<ReceivedSpan> all = collector.spans();
      List<ReceivedSpan> trace = all.stream().filter(s -> s.traceId().equals(traceId)).toList();
      String tree = render(trace);
      // Every span that names the job is in its one trace.
      assertThat(all)
          .filteredOn(s -> jobId.equals(s.attributes().get("autodoc.job.id")))
          .as(tree)
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.traceId()).isEqualTo(traceId));

      Map<String, ReceivedSpan> byId =
          trace.stream().collect(Collectors.toMap(ReceivedSpan::id, Function.identity()));
      List<ReceivedSpan> roots = trace.stream().filter(s -> !byId.containsKey(s.parent())).toList();
      assertThat(roots).as(tree).hasSize(1);
      ReceivedSpan root = roots.getFirst();
      assertThat(root.service()).isEqualTo(ORCHESTRATOR);
      assertThat(root.kind()).isEqualTo("SPAN_KIND_SERVER");
      assertThat(root.name()).contains("/api/v1/jobs");

      // Orchestrator → Kafka → worker: each scope under the plan that requested it.
      List<ReceivedSpan> scopes = named(trace, "scope");
      assertThat(scopes).as(tree).hasSize(3).allMatch(s -> s.service().equals(WORKER));
      for (ReceivedSpan scope : scopes) {
        assertThat(services(scope, byId))
            .as(tree)
            .containsSubsequence(WORKER, ORCHESTRATOR)
            .endsWith(ORCHESTRATOR);
        assertThat(names(scope, byId))
            .as(tree)
            .containsSubsequence("scope", "ScopeRequested process", "plan", root.name());
        assertThat(trace)
            .filteredOn(s -> s.parent().equals(scope.id()))
            .extracting(ReceivedSpan::name)
            .as(tree)
            .containsAll(WORKER_STEPS);
      }
      // Worker → Kafka → orchestrator (and reconciler): each outcome under the scope that reported
      // it.
      List<ReceivedSpan> outcomes = named(trace, "ScopeCompleted process");
      assertThat(outcomes).as(tree).filteredOn(s -> s.service().equals(ORCHESTRATOR)).hasSize(3);
      for (ReceivedSpan outcome : outcomes) {
        assertThat(names(outcome, byId)).as(tree).containsSubsequence("scope", "plan");
      }
      // Orchestrator → Kafka → callback service → receiver.
      ReceivedSpan attempt = named(trace, "callback attempt").getFirst();
      assertThat(attempt.service()).isEqualTo(CALLBACK);
      assertThat(names(attempt, byId))
          .as(tree)
          .containsSubsequence("callback attempt", "JobCompleted process", "finalize");
      assertThat(services(attempt, byId)).containsSubsequence(CALLBACK, ORCHESTRATOR);
      assertThat(hook.requests().getFirst().traceParent())
          .startsWith("00-" + traceId + "-" + attempt.id() + "-");

      // Every log line written for the job carries its trace id.
      var lines =
          CliTesting.jsonLogLines(
                  dataDir.resolve("logs/orchestrator.log"),
                  dataDir.resolve("logs/worker-1.log"),
                  dataDir.resolve("logs/callback.log"))
              .stream()
              .filter(l -> l.path("mdc").path("jobId").asText().equals(jobId))
              .toList();
      assertThat(lines)
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l.path("mdc").path("traceId").asText()).isEqualTo(traceId));
      assertThat(lines.stream().map(l -> l.path("loggerName").asText()).distinct().count())
          .isGreaterThan(1);
    } finally {
      LocalStack.deleteRecursively(dataDir);
    }
  }

  private static GitFixture threeScopes() {
    GitFixture repo = CliTesting.repository("traced");
    repo.write(".autodoc.yaml", "name: traced\n")
        .write("src/Main.java", "class Main {}\n")
        .write("api/.autodoc.yaml", "name: api\n")
        .write("api/handler.py", "def handle(request):\n    return request\n")
        .write("web/.autodoc.yaml", "name: web\n")
        .write("web/index.ts", "export const x = 1;\n")
        .commit("three scopes");
    return repo;
  }

  private static List<ReceivedSpan> named(List<ReceivedSpan> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The span and its ancestors, up to the root. */
  private static List<ReceivedSpan> lineage(ReceivedSpan span, Map<String, ReceivedSpan> byId) {
    List<ReceivedSpan> line = new ArrayList<>();
    for (ReceivedSpan s = span; s != null; s = byId.get(s.parent())) {
      line.add(s);
    }
    return line;
  }

  private static List<String> names(ReceivedSpan span, Map<String, ReceivedSpan> byId) {
    return lineage(span, byId).stream().map(ReceivedSpan::name).toList();
  }

  private static List<String> services(ReceivedSpan span, Map<String, ReceivedSpan> byId) {
    return lineage(span, byId).stream().map(ReceivedSpan::service).toList();
  }

  /** The trace as an indented tree, for a failure's message. */
  private static String render(List<ReceivedSpan> trace) {
    Map<String, List<ReceivedSpan>> children =
        trace.stream().collect(Collectors.groupingBy(ReceivedSpan::parent));
    var ids = trace.stream().map(ReceivedSpan::id).collect(Collectors.toSet());
    var out = new StringBuilder("\n");
    trace.stream()
        .filter(s -> !ids.contains(s.parent()))
        .forEach(root -> render(root, children, 0, out));
    return out.toString();
  }

  private static void render(
      ReceivedSpan span, Map<String, List<ReceivedSpan>> children, int depth, StringBuilder out) {
    out.append("  ".repeat(depth))
        .append(span.name())
        .append(" [")
        .append(span.service())
        .append("]\n");
    for (ReceivedSpan child : children.getOrDefault(span.id(), List.of())) {
      render(child, children, depth + 1, out);
    }
  }
}
