package dev.autodoc.local.cli;

import static dev.autodoc.local.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.local.testing.GitFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@code --keep-running}, the commands that reuse what it left up, and {@code down}. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeepRunningIT {
  private static Path dataDir;
  private static GitFixture shop;
  private static String firstBranch;

  @BeforeAll
  static void keepAutodocRunning() throws Exception {
    dataDir = CliTesting.newDataDir("keep-running");
    shop = CliTesting.nestedScopes();
    CliTesting.Result result =
        run("generate", shop.url(), "--keep-running", "--data-dir", dataDir.toString());
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("Autodoc keeps running.")
        .contains("Key:  in " + dataDir.resolve("api-key"))
        .doesNotContainPattern("adk_[0-9a-f]{48}")
        .contains("Stop: deploy/local/autodoc down");
    firstBranch = RunningAutodoc.branch(result);
  }

  @AfterAll
  static void down() {
    try {
      CliTesting.Result result = run("down", "--data-dir", dataDir.toString());
      assertThat(result.output()).contains("Autodoc stopped.");
      assertThat(CliTesting.processesUsing(dataDir)).isEmpty();
    } finally {
      RecordedDeployment.down(dataDir);
      shop.close();
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  @Test
  @Order(1)
  void aRepositoryWithoutConfigurationIsDocumentedAsOneRootScopeByTheRunningAutodoc() {
    try (GitFixture repo = CliTesting.repository("plain")) {
      repo.write("lib/util.py", "def f():\n    return 1\n")
          .write("README.md", "# plain\n")
          .commit("plain");
      CliTesting.Result result = run("generate", repo.url(), "--data-dir", dataDir.toString());
      assertThat(result.status()).as(result.output()).isZero();
      assertThat(result.output())
          .contains("using the Autodoc left running")
          .containsPattern("\\n  \\. \\(plain-\\d+\\)\\s+SUCCEEDED\\s+1\\s+2 ")
          .contains("markdown 1, python 1")
          .doesNotContain("stopping Autodoc");
    }
  }

  @Test
  @Order(2)
  void aSecondRunOfAnUnchangedRepositoryHasNothingToDo() {
    CliTesting.Result result = run("generate", shop.url(), "--data-dir", dataDir.toString());
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output())
        .containsPattern("previous job of this repository: [0-9a-f-]{36} COMPLETED")
        .containsPattern("Plan \\(incremental since [0-9a-f]{10}\\): 0 of 4 scopes to document")
        .containsPattern("\\n  services/pay \\(pay\\)\\s+SKIP\\s+no change since")
        .doesNotContain("pull request:");
    // Nothing new to propose: the first pull request stays open.
    try (var git = org.eclipse.jgit.api.Git.open(shop.dir().toFile())) {
      assertThat(
              git.branchList().call().stream()
                  .map(r -> r.getName())
                  .filter(n -> n.startsWith("refs/heads/autodoc/")))
          .containsExactly("refs/heads/" + firstBranch);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @Order(3)
  void anInvalidConfigurationFailsNamingFileAndLine() {
    try (GitFixture repo = CliTesting.repository("invalid")) {
      repo.write("api/.autodoc.yaml", "name: api\nagent:\n  mode: clever\n").commit("bad");
      CliTesting.Result result = run("generate", repo.url(), "--data-dir", dataDir.toString());
      assertThat(result.status()).isEqualTo(1);
      assertThat(result.output())
          .contains(
              "Error: INVALID_SCOPE_CONFIG: invalid .autodoc.yaml: api/.autodoc.yaml:3: field 'agent.mode'");
    }
  }

  @Test
  @Order(3)
  void aDryRunShowsAScopeItsGlobsLeaveEmptyAndExitsWithAProblem() {
    try (GitFixture repo = CliTesting.repository("empty-globs")) {
      repo.write("web/.autodoc.yaml", "name: front end\ninclude: [\"src/**/*.py\"]\n")
          .write("web/src/query.ts", "export const q = 1;\n")
          .commit("ts only");
      CliTesting.Result result =
          run("generate", repo.url(), "--dry-run", "--data-dir", dataDir.toString());
      assertThat(result.status()).as(result.output()).isEqualTo(1);
      assertThat(result.output())
          .containsPattern("\\n  web \\(front end\\)\\s+FULL")
          .contains("problem: scope 'web' has nothing to document")
          .contains("src/query.ts (excluded)");
    }
  }

  @Test
  @Order(4)
  void aMissingRepositoryAndAnUnknownBranchFailWithTheirReasons() {
    CliTesting.Result missing =
        run("generate", "/no/such/repository", "--data-dir", dataDir.toString());
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.output())
        .contains("Error: REPOSITORY_NOT_FOUND: repository /no/such/repository does not exist");

    CliTesting.Result branch =
        run("generate", shop.url(), "--branch", "nope", "--data-dir", dataDir.toString());
    assertThat(branch.status()).isEqualTo(1);
    assertThat(branch.output()).contains("Error: BRANCH_NOT_FOUND: branch 'nope' does not exist");
  }

  @Test
  @Order(5)
  void aRequestTheApiRefusesIsReportedFieldByField() {
    CliTesting.Result result =
        run("generate", "ssh://example.org/repo.git", "--data-dir", dataDir.toString());
    assertThat(result.status()).isEqualTo(Main.USAGE);
    assertThat(result.output())
        .contains("The request was refused")
        .contains("repository: repository 'ssh://example.org/repo.git' is not supported");
  }

  @Test
  @Order(6)
  void theDocumentationIsServedAsMarkdownAndHtml() throws Exception {
    var deployment = LocalDeployment.attach(dataDir).orElseThrow();
    var http = java.net.http.HttpClient.newHttpClient();
    String repository = dev.autodoc.common.repo.RepositoryRef.parse(shop.url()).id();
    java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> get =
        (path, accept) -> {
          try {
            return http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(deployment.apiUrl() + path))
                    .header("Authorization", "Bearer " + deployment.apiKey())
                    .header("Accept", accept)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    assertThat(get.apply("/api/v1/repositories", "application/json").body())
        .contains("\"id\":\"" + repository + "\"");
    String pages =
        get.apply("/api/v1/repositories/" + repository + "/pages", "application/json").body();
    assertThat(pages)
        .contains(
            "\"path\":\"AGENTS.md\"",
            "\"path\":\"services/pay/docs/autodoc/index.md\"",
            "\"kind\":\"README\"");
    var markdown =
        get.apply(
            "/api/v1/repositories/" + repository + "/pages/services/pay/AGENTS.md",
            "text/markdown");
    assertThat(markdown.statusCode()).isEqualTo(200);
    assertThat(markdown.body()).startsWith("# pay\n");
    var html =
        get.apply(
            "/api/v1/repositories/" + repository + "/pages/docs/autodoc/index.md", "text/html");
    assertThat(html.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
    // Headings carry the anchors pages link to, as GitHub gives them.
    assertThat(html.body())
        .contains("<h1 id=\"shop\">shop</h1>")
        .contains("<h2 id=\"build-and-test\">Build and test</h2>");
    // A page quoting hostile repository content: served inert, with a strict policy.
    var hostile =
        get.apply(
            "/api/v1/repositories/" + repository + "/pages/services/pay/docs/autodoc/index.md",
            "text/html");
    assertThat(hostile.body())
        .contains("Pay takes payments")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("<script")
        .doesNotContain("<img src=x")
        .doesNotContainPattern("(href|src)=\"(javascript|data):");
    assertThat(hostile.headers().firstValue("Content-Security-Policy"))
        .get()
        .asString()
        .startsWith("default-src 'none'")
        .contains("sandbox");
    assertThat(hostile.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(
            get.apply("/api/v1/repositories/" + repository + "/pages/nope.md", "text/markdown")
                .statusCode())
        .isEqualTo(404);

    // Semantic search over the chunks of every scope's pages, once the index caught up.
    new RunningAutodoc(dataDir).awaitIndexed(shop.url());
    var search =
        get.apply("/api/v1/repositories/" + repository + "/search?q=pay&k=3", "application/json");
    assertThat(search.statusCode()).isEqualTo(200);
    assertThat(search.body())
        .contains("\"scope\":\"services/pay\"", "\"heading\":", "\"score\":", "\"snippet\":");
    assertThat(
            get.apply("/api/v1/repositories/" + repository + "/search?k=99", "application/json")
                .body())
        .contains("\"field\":\"q\"", "\"field\":\"k\"");
  }

  @Test
  @Order(6)
  void searchingAQualifiedNameFindsTheRightOneOfTwoSameNamedTypes() throws Exception {
    try (GitFixture repo = CliTesting.repository("options")) {
      repo.write("cli/core.py", "class Option:\n    def to_info_dict(self):\n        return {}\n")
          .write(
              "cli/parser.py",
              "class Option:\n    def process(self, value):\n        return value\n")
          .commit("two options");
      CliTesting.Result result = run("generate", repo.url(), "--data-dir", dataDir.toString());
      assertThat(result.status()).as(result.output()).isZero();
      var deployment = LocalDeployment.attach(dataDir).orElseThrow();
      String repository = dev.autodoc.common.repo.RepositoryRef.parse(repo.url()).id();
      new RunningAutodoc(dataDir).awaitIndexed(repo.url());
      for (String module : List.of("core", "parser")) {
        var response =
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(
                                deployment.apiUrl()
                                    + "/api/v1/repositories/"
                                    + repository
                                    + "/search?k=3&q=cli."
                                    + module
                                    + ".Option"))
                        .header("Authorization", "Bearer " + deployment.apiKey())
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        var hits = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        assertThat(hits.get(0).get("heading").asText())
            .as(response.body())
            .isEqualTo(module + ".Option");
        // The one holding the name word for word scores 1 above what only resembles it.
        assertThat(hits.get(0).get("score").asDouble()).isGreaterThan(1);
        for (var hit : hits) {
          if (hit.get("heading").asText().endsWith(".Option") && hit != hits.get(0)) {
            assertThat(hit.get("score").asDouble()).as(response.body()).isLessThan(1);
          }
        }
      }
    }
  }

  @Test
  @Order(7)
  void theKubernetesProbesAnswerOnTheRunningServices() throws Exception {
    Path project = Path.of(System.getProperty("autodoc.project.dir", "../../..")).toAbsolutePath();
    Process kubectl =
        new ProcessBuilder(
                "kubectl", "kustomize", project.resolve("deploy/kubernetes/base").toString())
            .start();
    String manifests = new String(kubectl.getInputStream().readAllBytes());
    assertThat(kubectl.waitFor()).isZero();
    // Each Deployment's probe paths, by the local service that runs the same code.
    Map<String, String> localName =
        Map.of(
            "autodoc-orchestrator", "orchestrator",
            "autodoc-scope-worker", "worker-1",
            "autodoc-callback", "callback",
            "autodoc-reconciler", "reconciler");
    var yaml =
        new com.fasterxml.jackson.databind.ObjectMapper(
            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    var http = java.net.http.HttpClient.newHttpClient();
    int probes = 0;
    for (var doc :
        yaml.readValues(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory().createParser(manifests),
                com.fasterxml.jackson.databind.JsonNode.class)
            .readAll()) {
      if (!doc.path("kind").asText().equals("Deployment")) {
        continue;
      }
      var settings = new java.util.Properties();
      try (var in =
          java.nio.file.Files.newInputStream(
              dataDir
                  .resolve("services")
                  .resolve(
                      localName.get(doc.path("metadata").path("name").asText()) + ".properties"))) {
        settings.load(in);
      }
      String port = settings.getProperty("quarkus.http.port");
      for (var container : doc.path("spec").path("template").path("spec").path("containers")) {
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
          String path = container.path(probe).path("httpGet").path("path").asText();
          var response =
              http.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + port + path))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
          assertThat(response.statusCode())
              .as(doc.path("metadata").path("name").asText() + " " + probe + " " + path)
              .isEqualTo(200);
          probes++;
        }
      }
    }
    assertThat(probes).isEqualTo(12);
  }

  @Test
  @Order(7)
  void statusListsEveryProcessWithItsMemory() {
    CliTesting.Result result = run("status", "--data-dir", dataDir.toString());
    assertThat(result.status()).isZero();
    assertThat(result.output())
        .containsPattern("kafka\\s+running\\s+\\d+\\s+[0-9.]+ MiB")
        .containsPattern("postgres\\s+running\\s+\\d+")
        .containsPattern("s3\\s+running\\s+\\d+")
        .containsPattern("orchestrator\\s+running\\s+\\d+")
        .containsPattern("worker-1\\s+running\\s+\\d+")
        .contains("Keeps running until 'deploy/local/autodoc down'.");
  }

  @Test
  @Order(8)
  void secretsAreInOwnerOnlyFilesNeverOnACommandLineOrInALog() throws Exception {
    String key = java.nio.file.Files.readString(dataDir.resolve("api-key")).strip();
    String secret =
        java.nio.file.Files.readString(dataDir.resolve(LocalDeployment.CALLBACK_SECRET_FILE))
            .strip();
    for (Path file :
        List.of(
            dataDir,
            dataDir.resolve("api-key"),
            dataDir.resolve(LocalDeployment.CALLBACK_SECRET_FILE),
            dataDir.resolve(LocalDeployment.STATE_FILE),
            dataDir.resolve("stack.properties"),
            dataDir.resolve("services/orchestrator.properties"),
            dataDir.resolve("services/callback.properties"))) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  java.nio.file.Files.getPosixFilePermissions(file)))
          .as(file.toString())
          .matches("rw[-x]------");
    }
    assertThat(CliTesting.processesUsing(dataDir))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p).doesNotContain(key).doesNotContain(secret));
    try (var logs = java.nio.file.Files.walk(dataDir.resolve("logs"))) {
      for (Path log : logs.filter(java.nio.file.Files::isRegularFile).toList()) {
        assertThat(java.nio.file.Files.readString(log))
            .as(log.toString())
            .doesNotContain(key)
            .doesNotContain(secret);
      }
    }
  }

  @Test
  @Order(9)
  void aDeadServiceIsShownAndStartedAgainAloneWithoutTouchingTheRunningServers() throws Exception {
    var before = LocalDeployment.attach(dataDir).orElseThrow();
    var worker =
        before.services().stream().filter(p -> p.name().equals("worker-1")).findFirst().get();
    var servers =
        before.stack().processes().stream()
            .collect(java.util.stream.Collectors.toMap(p -> p.name(), p -> p.pid()));
    String brokerConfig =
        java.nio.file.Files.readString(dataDir.resolve("kafka/server.properties"));
    new ProcessBuilder("kill", "-9", Long.toString(worker.pid())).start().waitFor();
    org.awaitility.Awaitility.await().until(() -> !worker.isAlive());

    CliTesting.Result status = run("status", "--data-dir", dataDir.toString());
    assertThat(status.status()).isEqualTo(1);
    assertThat(status.output())
        .containsPattern("worker-1\\s+stopped")
        .containsPattern("kafka\\s+running")
        .contains("1 of 7 processes have stopped: 'deploy/local/autodoc up' starts them again.");

    // A second command cannot start servers while the first holds the data directory.
    try (var held = dev.autodoc.local.stack.DataDirLock.acquire(dataDir)) {
      CliTesting.Result refused = run("generate", shop.url(), "--data-dir", dataDir.toString());
      assertThat(refused.status()).isEqualTo(Main.INFRASTRUCTURE);
      assertThat(refused.output()).contains("is in use by another Autodoc command");
    }

    CliTesting.Result up = run("up", "--data-dir", dataDir.toString());
    assertThat(up.status()).as(up.output()).isZero();
    assertThat(up.output())
        .contains("worker-1 had stopped; starting it again")
        .doesNotContain("kafka had stopped")
        .doesNotContain("starting Kafka");
    var after = LocalDeployment.attach(dataDir).orElseThrow();
    assertThat(
            after.stack().processes().stream()
                .collect(java.util.stream.Collectors.toMap(p -> p.name(), p -> p.pid())))
        .isEqualTo(servers);
    assertThat(java.nio.file.Files.readString(dataDir.resolve("kafka/server.properties")))
        .isEqualTo(brokerConfig);
    assertThat(run("status", "--data-dir", dataDir.toString()).status()).isZero();
    // And the restarted worker documents.
    try (GitFixture repo = CliTesting.repository("after-restart")) {
      repo.write("lib/a.py", "def a():\n    return 1\n").commit("a");
      CliTesting.Result result = run("generate", repo.url(), "--data-dir", dataDir.toString());
      assertThat(result.status()).as(result.output()).isZero();
    }
  }

  @Test
  @Order(10)
  void aSecondGenerateFindsTheStackWarmAndLeavesItForItsIdlePeriod() {
    CliTesting.Result result =
        run("generate", shop.url(), "--idle-stop", "PT1H", "--data-dir", dataDir.toString());
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("using the Autodoc left running in " + dataDir)
        .doesNotContain("starting Kafka")
        .contains("stays up for the next command and stops once unused for 1 h")
        .doesNotContain("stopping Autodoc");
    var ready =
        java.util.regex.Pattern.compile("Autodoc is up \\(([0-9.]+) (ms|s)\\)")
            .matcher(result.output());
    assertThat(ready.find()).isTrue();
    System.out.println("warm generate: Autodoc up in " + ready.group(1) + " " + ready.group(2));
    assertThat(IdleStop.watcher(dataDir)).isPresent();
    assertThat(run("status", "--data-dir", dataDir.toString()).output())
        .contains("Stops once unused for 1 h.");
  }

  @Test
  @Order(6)
  void whileTheIndexLagsBehindAPageSearchAndTheJobViewSaySo() throws Exception {
    var autodoc = new RunningAutodoc(dataDir);
    autodoc.awaitIndexed(shop.url());
    String repository = dev.autodoc.common.repo.RepositoryRef.parse(shop.url()).id();
    var page = autodoc.pages(shop.url()).get("services/pay/docs/autodoc/index.md");
    String commit = page.path("indexedCommit").asText();
    assertThat(commit).isEqualTo(page.path("commitSha").asText());
    String jobId = page.path("jobId").asText();
    assertThat(autodoc.job(jobId).path("index").path("pendingPages").asLong()).isZero();
    var stack = LocalDeployment.attach(dataDir).orElseThrow().stack().endpoints();
    try (var db =
        java.sql.DriverManager.getConnection(
            stack.jdbcUrl(), stack.postgresUser(), stack.postgresPassword())) {
      // The page's vectors gone and nothing queued: the index is behind this page until its text
      // is queued again, as after a job whose vectors are not made yet.
      String chunksOfPage =
          "from worker.chunk c where c.job_id = '"
              + jobId
              + "' and c.scope_path = 'services/pay' and c.page_path = 'docs/autodoc/index.md'";
      db.createStatement()
          .executeUpdate(
              "delete from worker.chunk_vector v using (select c.model, c.model_version, c.digest "
                  + chunksOfPage
                  + ") c where v.model = c.model and v.model_version = c.model_version"
                  + " and v.digest = c.digest");
      var lagging = autodoc.pages(shop.url()).get("services/pay/docs/autodoc/index.md");
      assertThat(lagging.path("indexedCommit").isNull()).as(lagging.toString()).isTrue();
      assertThat(autodoc.job(jobId).path("index").path("pendingPages").asLong()).isPositive();
      var http = java.net.http.HttpClient.newHttpClient();
      var deployment = LocalDeployment.attach(dataDir).orElseThrow();
      var search =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          deployment.apiUrl()
                              + "/api/v1/repositories/"
                              + repository
                              + "/search?k=50&q=Pay%20takes%20payments"))
                  .header("Authorization", "Bearer " + deployment.apiKey())
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(search.headers().firstValue("Autodoc-Index-Pending-Pages"))
          .get()
          .satisfies(v -> assertThat(Long.parseLong(v)).isPositive());
      assertThat(search.body()).doesNotContain("\"page\":\"services/pay/docs/autodoc/index.md\"");

      // Queued again, the indexer makes the vectors: the page is searchable at its commit.
      db.createStatement()
          .executeUpdate(
              "insert into worker.index_queue (model, model_version, digest, text)"
                  + " select distinct c.model, c.model_version, c.digest, c.text "
                  + chunksOfPage
                  + " on conflict do nothing");
    }
    autodoc.awaitIndexed(shop.url());
    assertThat(
            autodoc
                .pages(shop.url())
                .get("services/pay/docs/autodoc/index.md")
                .path("indexedCommit")
                .asText())
        .isEqualTo(commit);
    assertThat(autodoc.job(jobId).path("index").path("pendingPages").asLong()).isZero();
    assertThat(autodoc.search(shop.url(), "Pay takes payments"))
        .contains("\"page\":\"services/pay/docs/autodoc/index.md\"")
        .contains("\"commit\":\"" + commit + "\"");
  }
}
