package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards against real metrics: Prometheus scrapes the services of a local
 * deployment while real jobs run, one with a failing scope, one with a callback that is retried,
 * and a poison record goes to a dead-letter topic. Then every query of every panel and variable is
 * evaluated through Prometheus's HTTP API.
 */
class DashboardsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAILURES_ONLY = "Shows only failures";
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:autodoc|jvm|process|http|kafka)_[a-z0-9_]+)\\b");
  private static final Map<String, String> VARIABLES =
      Map.of(
          "$namespace", LocalPrometheus.NAMESPACE,
          "$repository", ".*",
          "$__rate_interval", "1m",
          "$__range", "15m");

  record Query(String dashboard, String panel, String expr, boolean failuresOnly) {}

  @Test
  void everyPanelQueryParsesAndShowsTheJobsThatRan() throws Exception {
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    List<JsonNode> dashboards = dashboards(project.resolve("deploy/grafana/dashboards"));
    List<Query> queries = queries(dashboards);
    assertThat(queries).hasSizeGreaterThan(30);
    metricsAreNamedInCode(queries);

    Path dataDir = CliTesting.newDataDir("dashboards");
    try (GitFixture failing = oneFailingScope();
        GitFixture fine = CliTesting.repository("dashboards-fine");
        CallbackIT.Receiver hook = CallbackIT.Receiver.answering(503, 200);
        LocalDeployment deployment =
            LocalDeployment.start(
                project, dataDir, LocalDeployment.ServiceOptions.DEFAULT, m -> {});
        LocalPrometheus prometheus = LocalPrometheus.scraping(project, dataDir)) {
      fine.write("lib/util.py", "def f():\n    \"\"\"Returns one.\"\"\"\n    return 1\n")
          .commit("one file");
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      String failed = api.submit(Map.of("repository", failing.url())).body().path("id").asText();
      String delivered =
          api.submit(Map.of("repository", fine.url(), "callbackUrl", hook.url()))
              .body()
              .path("id")
              .asText();
      try (var kafka =
          new KafkaProbe(deployment.stack().endpoints().kafkaBootstrapServers(), List.of())) {
        kafka.sendRaw("autodoc.job.requested", null, "not an event".getBytes());
      }
      assertThat(CliTesting.awaitEnded(api, failed, Duration.ofMinutes(3)).path("status").asText())
          .isEqualTo("FAILED");
      assertThat(
              CliTesting.awaitEnded(api, delivered, Duration.ofMinutes(3)).path("status").asText())
          .isEqualTo("COMPLETED");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  api.job(delivered)
                      .body()
                      .path("callback")
                      .path("status")
                      .asText()
                      .equals("DELIVERED"));

      // Every query parses and, once the services were scraped after the jobs, has data.
      List<String> problems = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(3))
          .untilAsserted(
              () -> {
                problems.clear();
                for (Query q : queries) {
                  JsonNode answer = prometheus.query(q.expr());
                  if (!answer.path("status").asText().equals("success")) {
                    problems.add(q + ": " + answer.path("error").asText());
                  } else if (!q.failuresOnly() && answer.path("data").path("result").isEmpty()) {
                    problems.add(q + ": no data");
                  }
                }
                assertThat(problems).isEmpty();
              });
      // This run had failures: the panels that show them show them.
      assertThat(value(prometheus, queries, "Dead-lettered records by topic and reason"))
          .contains("autodoc.job.requested")
          .contains("INVALID_EVENT");
      assertThat(value(prometheus, queries, "Failed attempts")).contains("5xx");
      assertThat(value(prometheus, queries, "Outcomes in the range"))
          .contains("FAILED")
          .contains("COMPLETED");

      // Every metric a dashboard names is one a service exposes.
      Set<String> exposed = new TreeSet<>();
      prometheus
          .api("/api/v1/label/__name__/values", Map.of())
          .path("data")
          .forEach(n -> exposed.add(n.asText()));
      assertThat(exposed).containsAll(metrics(queries));

      // The variables' own queries find their values.
      for (JsonNode dashboard : dashboards) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
          if (variable.path("type").asText().equals("query")) {
            String definition = variable.path("definition").asText();
            Matcher m = Pattern.compile("label_values\\((.*), (\\w+)\\)").matcher(definition);
            assertThat(m.matches()).as(definition).isTrue();
            JsonNode values =
                prometheus.api(
                    "/api/v1/label/" + m.group(2) + "/values",
                    Map.of("match[]", substitute(m.group(1))));
            assertThat(values.path("data")).as(definition).isNotEmpty();
          }
        }
      }
    } finally {
      LocalStack.deleteRecursively(dataDir);
    }
  }

  /** The dashboards as provisioning loads them: no inputs to resolve, a uid, variables. */
  private static List<JsonNode> dashboards(Path dir) throws Exception {
    List<JsonNode> dashboards = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String text = Files.readString(file);
        assertThat(text).as(file.toString()).doesNotContain("${DS_").doesNotContain("__inputs");
        JsonNode dashboard = JSON.readTree(text);
        assertThat(dashboard.path("uid").asText())
            .isEqualTo(file.getFileName().toString().replace(".json", ""));
        assertThat(dashboard.path("templating").path("list").findValuesAsText("name"))
            .contains("datasource", "namespace");
        dashboards.add(dashboard);
      }
    }
    assertThat(dashboards).hasSize(6);
    return dashboards;
  }

  private static List<Query> queries(List<JsonNode> dashboards) {
    List<Query> queries = new ArrayList<>();
    for (JsonNode dashboard : dashboards) {
      for (JsonNode panel : dashboard.path("panels")) {
        boolean failuresOnly = panel.path("description").asText().contains(FAILURES_ONLY);
        for (JsonNode target : panel.path("targets")) {
          queries.add(
              new Query(
                  dashboard.path("title").asText(),
                  panel.path("title").asText(),
                  substitute(target.path("expr").asText()),
                  failuresOnly));
        }
      }
    }
    return queries;
  }

  private static String substitute(String expr) {
    String out = expr;
    for (var variable : VARIABLES.entrySet()) {
      out = out.replace(variable.getKey(), variable.getValue());
    }
    return out;
  }

  private static Set<String> metrics(List<Query> queries) {
    Set<String> names = new TreeSet<>();
    for (Query q : queries) {
      Matcher m = METRIC.matcher(q.expr());
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** Each of the project's own metrics is one of the names in {@link MetricNames}, as exported. */
  private static void metricsAreNamedInCode(List<Query> queries) throws IllegalAccessException {
    Set<String> exported = new TreeSet<>();
    for (Field field : MetricNames.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && !field.getName().startsWith("TAG_")) {
        String base = ((String) field.get(null)).replace('.', '_');
        for (String suffix :
            List.of("", "_total", "_seconds_bucket", "_seconds_sum", "_seconds_count", "_count")) {
          exported.add(base + suffix);
        }
      }
    }
    Set<String> ours =
        metrics(queries).stream().filter(n -> n.startsWith("autodoc_")).collect(Collectors.toSet());
    assertThat(exported).containsAll(ours);
  }

  /** The result of the panel's first query, as text. */
  private static String value(LocalPrometheus prometheus, List<Query> queries, String panel)
      throws Exception {
    Query q = queries.stream().filter(x -> x.panel().equals(panel)).findFirst().orElseThrow();
    return prometheus.query(q.expr()).path("data").path("result").toString();
  }

  private static GitFixture oneFailingScope() {
    GitFixture repo = CliTesting.repository("dashboards-failing");
    repo.write(".autodoc.yaml", "name: root\n")
        .write("Main.java", "class Main {}\n")
        .write("crowded/.autodoc.yaml", "name: crowded\nlimits:\n  max_files: 1\n")
        .write("crowded/a.py", "def a():\n    return 1\n")
        .write("crowded/b.py", "def b():\n    return 2\n")
        .commit("a scope with more files than it allows");
    return repo;
  }
}
