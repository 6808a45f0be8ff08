package dev.autodoc.orchestrator;

import static dev.autodoc.orchestrator.OrchestratorTesting.awaitStatus;
import static dev.autodoc.orchestrator.OrchestratorTesting.repository;
import static dev.autodoc.orchestrator.OrchestratorTesting.submit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.EventType;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PlanningIT {

  @Test
  void nestedScopesFanOutOneRequestEachWithTheirExclusionsAtTheBranchHead() {
    try (GitFixture repo = repository("plan-nested");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      String sha =
          repo.writeAll(
                  Map.of(
                      ".autodoc.yaml", "name: shop\n",
                      "src/Main.java", "class Main {}\n",
                      "services/.autodoc.yaml", "name: services\nexclude: [\"**/generated/**\"]\n",
                      "services/pay/.autodoc.yaml", "name: pay\nlimits:\n  max_files: 10\n",
                      "services/pay/Pay.java", "class Pay {}\n",
                      "web/.autodoc.yaml", "",
                      "web/index.ts", "export {}\n"))
              .commit("scopes");
      String id = submit(repo.url());
      var job = awaitStatus(id, "RUNNING");
      assertThat(job.getString("commitSha")).isEqualTo(sha);
      assertThat(job.getList("scopes.path")).containsExactly("", "services", "services/pay", "web");
      assertThat(job.getList("scopes.status")).containsOnly("PENDING");
      // No worker runs in these tests: every scope says since when it waits for one.
      assertThat(job.getList("scopes.waitingForWorkerSince")).doesNotContainNull().hasSize(4);
      assertThat(job.getList("scopes.waitingForWorkerSeconds", Long.class))
          .allSatisfy(s -> assertThat(s).isBetween(0L, 60L));

      List<ScopeRequested> requests =
          kafka
              .await(
                  r -> r.topic().equals(Topics.SCOPE_REQUESTED) && r.key().startsWith(id),
                  4,
                  Duration.ofSeconds(30))
              .stream()
              .map(
                  r ->
                      (ScopeRequested)
                          EventCodec.decode(r.topic(), KafkaProbe.header(r, "ce_type"), r.value()))
              .sorted(Comparator.comparing(ScopeRequested::scopePath))
              .toList();
      assertThat(requests)
          .extracting(ScopeRequested::scopePath)
          .containsExactly("", "services", "services/pay", "web");
      assertThat(requests)
          .allSatisfy(
              r -> {
                assertThat(r.commitSha()).isEqualTo(sha);
                assertThat(r.attempt()).isEqualTo(1);
                assertThat(r.repositoryUrl()).isEqualTo("file://" + repo.url());
              });
      assertThat(requests.get(0).excludedPaths()).containsExactlyInAnyOrder("services", "web");
      assertThat(requests.get(1).excludedPaths()).containsExactly("services/pay");
      assertThat(requests.get(1).config().exclude()).containsExactly("**/generated/**");
      assertThat(requests.get(2).config().limits().maxFiles()).isEqualTo(10);
      assertThat(requests.get(3).config().name()).isEqualTo("web");
      assertThat(requests.get(0).config().name()).isEqualTo("shop");
    }
  }

  @Test
  void aDryRunReturnsThePlanWithItsReasonsAndTokensAndDispatchesNothing() {
    try (GitFixture repo = repository("plan-dry-run");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      String sha =
          repo.writeAll(
                  Map.of(
                      "api/.autodoc.yaml", "agent:\n  mode: llm\n",
                      "api/Api.java", "class Api {}\n".repeat(400),
                      "api/v2/Next.java", "class Next {}\n",
                      "web/.autodoc.yaml", "name: front end\n",
                      "web/index.ts", "export {}\n",
                      "py/.autodoc.yaml", "include: [\"src/**/*.py\"]\n",
                      "py/src/query.ts", "export {}\n"))
              .commit("scopes");
      String id =
          OrchestratorTesting.api()
              .body(Map.of("repository", repo.url(), "dryRun", true, "mode", "incremental"))
              .post("/api/v1/jobs")
              .then()
              .statusCode(202)
              .extract()
              .path("id");
      var job = awaitStatus(id, "COMPLETED");
      assertThat(job.getBoolean("dryRun")).isTrue();
      assertThat(job.getString("commitSha")).isEqualTo(sha);
      assertThat(job.getList("plan.scopes.scope")).containsExactly("api", "py", "web");
      assertThat(job.getList("plan.scopes.name")).containsExactly("api", "py", "front end");
      assertThat(job.getList("plan.scopes.action")).containsOnly("FULL");
      assertThat(job.getList("plan.scopes.reason")).containsOnly("new scope: never documented");
      // Only the LLM scope costs tokens: its 5.2 kB of code and two directories' pages.
      long api = job.getLong("plan.scopes[0].estimatedTokens");
      assertThat(api).isGreaterThan(5_200 / 4);
      assertThat(job.getLong("plan.scopes[2].estimatedTokens")).isZero();
      // The scope whose globs take none of its files shows the problem a run would fail it with.
      assertThat(job.getString("plan.scopes[0].problem")).isNull();
      assertThat(job.getString("plan.scopes[2].problem")).isNull();
      assertThat(job.getString("plan.scopes[1].problem"))
          .contains("scope 'py' has nothing to document")
          .contains("include ['src/**/*.py']")
          .contains("src/query.ts (excluded)");
      assertThat(job.getLong("plan.estimatedTokens")).isEqualTo(api);
      // Nothing was dispatched and no pull request opened.
      assertThat(job.getList("scopes")).isEmpty();
      assertThat(job.getString("pullRequest")).isNull();
      assertThat(
              kafka.records(
                  r -> r.topic().equals(Topics.SCOPE_REQUESTED) && r.key().startsWith(id),
                  Duration.ofSeconds(2)))
          .isEmpty();
      assertThat(
              kafka
                  .await(
                      r -> r.topic().equals(Topics.JOB_COMPLETED) && id.equals(r.key()),
                      1,
                      Duration.ofSeconds(30))
                  .getFirst()
                  .value())
          .contains("\"status\":\"COMPLETED\"");
    }
  }

  @Test
  void aRepositoryWithoutConfigurationIsOneImplicitRootScope() {
    try (GitFixture repo = repository("plan-implicit");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      repo.write("lib/util.py", "def f():\n    pass\n").commit("code");
      String id = submit(repo.url());
      var job = awaitStatus(id, "RUNNING");
      assertThat(job.getList("scopes.path")).containsExactly("");
      var request =
          kafka
              .await(
                  r -> r.topic().equals(Topics.SCOPE_REQUESTED) && r.key().startsWith(id),
                  1,
                  Duration.ofSeconds(30))
              .getFirst();
      assertThat(KafkaProbe.header(request, "ce_type"))
          .isEqualTo(EventType.SCOPE_REQUESTED.ceType());
      assertThat(KafkaProbe.header(request, "ce_subject")).isEqualTo(id);
      assertThat(request.value())
          .contains("\"name\":\"" + repo.dir().getFileName().toString().toLowerCase());
    }
  }

  @Test
  void anInvalidConfigurationFailsTheJobNamingFileLineAndField() {
    try (GitFixture repo = repository("plan-invalid");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      repo.write("api/.autodoc.yaml", "version: 1\nagent:\n  quality_threshold: 3\n")
          .write("api/A.java", "class A {}")
          .commit("bad");
      String id = submit(repo.url());
      var job = awaitStatus(id, "FAILED");
      assertThat(job.getString("error.reason")).isEqualTo("INVALID_SCOPE_CONFIG");
      assertThat(job.getString("error.message"))
          .contains("api/.autodoc.yaml:3: field 'agent.quality_threshold'");
      var completed =
          kafka.await(
              r -> r.topic().equals(Topics.JOB_COMPLETED) && id.equals(r.key()),
              1,
              Duration.ofSeconds(30));
      assertThat(completed.getFirst().value())
          .contains("\"status\":\"FAILED\"")
          .contains("INVALID_SCOPE_CONFIG");
      assertThat(
              kafka.records(
                  r -> r.topic().equals(Topics.SCOPE_REQUESTED) && r.key().startsWith(id),
                  Duration.ofSeconds(1)))
          .isEmpty();
    }
  }

  @Test
  void aRepositoryThatDoesNotExistFailsTheJob() {
    String id = submit("/definitely/not/a/repository");
    var job = awaitStatus(id, "FAILED");
    assertThat(job.getString("error.reason")).isEqualTo("REPOSITORY_NOT_FOUND");
    assertThat(job.getString("error.message"))
        .contains("/definitely/not/a/repository does not exist");
  }

  @Test
  void aDirectoryThatIsNotAGitRepositoryFailsTheJob() throws Exception {
    var dir =
        java.nio.file.Files.createTempDirectory(
            java.nio.file.Path.of(System.getProperty("autodoc.build.dir", "target")), "plain-");
    var job = awaitStatus(submit(dir.toString()), "FAILED");
    assertThat(job.getString("error.message")).contains("is not a git repository");
  }

  @Test
  void anUnknownBranchFailsTheJobListingTheBranchesThatExist() {
    try (GitFixture repo = repository("plan-branch")) {
      repo.write("a.txt", "a").commit("a");
      repo.branch("develop");
      String id =
          OrchestratorTesting.api()
              .body(Map.of("repository", repo.url(), "branch", "release"))
              .post("/api/v1/jobs")
              .then()
              .statusCode(202)
              .extract()
              .path("id");
      var job = awaitStatus(id, "FAILED");
      assertThat(job.getString("error.reason")).isEqualTo("BRANCH_NOT_FOUND");
      assertThat(job.getString("error.message"))
          .contains("branch 'release' does not exist")
          .contains("develop, main");
    }
  }

  @Test
  void aSecondJobOfTheSameRepositoryWaitsForTheFirstToEnd() {
    try (GitFixture repo = repository("plan-queue")) {
      repo.write("a.txt", "a").commit("a");
      String first = submit(repo.url());
      awaitStatus(first, "RUNNING");
      String second = submit(repo.url());
      // Give admission several rounds: the second must stay queued while the first runs.
      org.awaitility.Awaitility.await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> "QUEUED".equals(OrchestratorTesting.job(second).getString("status")));
      OrchestratorTesting.api().post("/api/v1/jobs/" + first + "/cancel").then().statusCode(200);
      awaitStatus(second, "RUNNING");
    }
  }
}
