package dev.autodoc.orchestrator;

import static dev.autodoc.orchestrator.OrchestratorTesting.awaitStatus;
import static dev.autodoc.orchestrator.OrchestratorTesting.repository;
import static dev.autodoc.orchestrator.OrchestratorTesting.submit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.JobCompleted;
import dev.autodoc.common.event.QualitySummary;
import dev.autodoc.common.event.ScanInventory;
import dev.autodoc.common.event.ScopeCompleted;
import dev.autodoc.common.event.ScopeFailed;
import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The orchestrator hears from workers (played here by a plain Kafka producer) and ends the job. */
@QuarkusTest
class FanInIT {
  private static final QualitySummary QUALITY = new QualitySummary(3, 0.9, 0.8, 0, 4);
  private static final TokenUsage TOKENS = new TokenUsage(300, 120);
  private static final ScanInventory INVENTORY =
      new ScanInventory(
          2, 30, Map.of("java", new ScanInventory.LanguageCount(2, 30)), Map.of(), List.of());

  @Test
  void whenEveryScopeSucceededTheJobCompletesAndAnnouncesItExactlyOnceDespiteDuplicates() {
    try (GitFixture repo = twoScopes("fanin-ok");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      String id = submit(repo.url());
      awaitStatus(id, "RUNNING");
      UUID job = UUID.fromString(id);
      var api = completed(job, "api", 1, "worker-a");
      var web = completed(job, "web", 1, "worker-b");
      // At-least-once: the same event twice, and a second report of the same scope.
      publish(kafka, api);
      publish(kafka, api);
      publish(kafka, completed(job, "api", 1, "worker-c"));
      publish(kafka, web);

      var done = awaitStatus(id, "COMPLETED");
      assertThat(done.getList("scopes.status")).containsOnly("SUCCEEDED");
      assertThat(done.getString("scopes.find { it.path == 'api' }.workerId")).isEqualTo("worker-a");
      assertThat(done.getInt("scopes.find { it.path == 'web' }.inventory.files")).isEqualTo(2);
      assertThat(done.getFloat("scopes.find { it.path == 'web' }.quality.meanScore"))
          .isEqualTo(0.9f);
      assertThat(done.getInt("scopes.find { it.path == 'web' }.quality.pages")).isEqualTo(3);
      // Token usage per scope, and for the job the sum of its scopes, duplicates not counted.
      assertThat(done.getInt("scopes.find { it.path == 'web' }.tokens.prompt")).isEqualTo(300);
      assertThat(done.getInt("tokens.prompt")).isEqualTo(600);
      assertThat(done.getInt("tokens.completion")).isEqualTo(240);
      assertThat(done.getString("finishedAt")).isNotNull();

      var completed =
          kafka.records(
              r -> r.topic().equals(Topics.JOB_COMPLETED) && id.equals(r.key()),
              Duration.ofSeconds(3));
      assertThat(completed).hasSize(1);
      var event =
          (JobCompleted)
              EventCodec.decode(
                  Topics.JOB_COMPLETED,
                  KafkaProbe.header(completed.getFirst(), "ce_type"),
                  completed.getFirst().value());
      assertThat(event.scopes())
          .extracting(JobCompleted.ScopeResult::path)
          .containsExactly("api", "web");
      assertThat(event.commitSha()).matches("[0-9a-f]{40}");
    }
  }

  @Test
  void aFailedScopeFailsTheJobWithAPerScopeErrorReportAndKeepsTheOthersResults() {
    try (GitFixture repo = twoScopes("fanin-fail");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      String id = submit(repo.url());
      awaitStatus(id, "RUNNING");
      UUID job = UUID.fromString(id);
      publish(
          kafka,
          failed(
              job,
              "web",
              1,
              "worker-a",
              ErrorReport.of(
                  Reason.LIMIT_EXCEEDED, "web has 9001 files; limits.max_files is 5000")));
      publish(kafka, completed(job, "api", 1, "worker-b"));

      var failed = awaitStatus(id, "FAILED");
      assertThat(failed.getString("error.reason")).isEqualTo("LIMIT_EXCEEDED");
      assertThat(failed.getString("error.message"))
          .isEqualTo("1 of 2 scopes failed: web (web has 9001 files; limits.max_files is 5000)");
      assertThat(failed.getString("scopes.find { it.path == 'web' }.error.message"))
          .contains("9001 files");
      assertThat(failed.getString("scopes.find { it.path == 'api' }.status"))
          .isEqualTo("SUCCEEDED");
      assertThat(failed.getInt("scopes.find { it.path == 'api' }.inventory.files")).isEqualTo(2);
      var completed =
          kafka.await(
              r -> r.topic().equals(Topics.JOB_COMPLETED) && id.equals(r.key()),
              1,
              Duration.ofSeconds(30));
      assertThat(completed.getFirst().value()).contains("\"status\":\"FAILED\"");
    }
  }

  @Test
  void aReportOfAnOlderAttemptDoesNotOverwriteANewerOne() {
    try (GitFixture repo = twoScopes("fanin-stale");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      String id = submit(repo.url());
      awaitStatus(id, "RUNNING");
      UUID job = UUID.fromString(id);
      publish(kafka, completed(job, "api", 2, "worker-new"));
      publish(
          kafka, failed(job, "api", 1, "worker-old", ErrorReport.of(Reason.STEP_TIMEOUT, "late")));
      publish(kafka, completed(job, "web", 1, "worker-b"));
      var done = awaitStatus(id, "COMPLETED");
      assertThat(done.getString("scopes.find { it.path == 'api' }.workerId"))
          .isEqualTo("worker-new");
      assertThat(done.getInt("scopes.find { it.path == 'api' }.attempt")).isEqualTo(2);
    }
  }

  static GitFixture twoScopes(String name) {
    GitFixture repo = repository(name);
    repo.writeAll(
            Map.of(
                "api/.autodoc.yaml",
                "",
                "api/A.java",
                "class A {}",
                "web/.autodoc.yaml",
                "",
                "web/w.ts",
                "export {}"))
        .commit("two scopes");
    return repo;
  }

  static ScopeCompleted completed(UUID job, String path, int attempt, String worker) {
    return new ScopeCompleted(
        UUID.randomUUID(),
        job,
        Instant.now(),
        1,
        path,
        attempt,
        worker,
        INVENTORY,
        QUALITY,
        TOKENS,
        10);
  }

  private static ScopeFailed failed(
      UUID job, String path, int attempt, String worker, ErrorReport error) {
    return new ScopeFailed(
        UUID.randomUUID(), job, Instant.now(), 1, path, attempt, worker, error, 10);
  }

  static void publish(KafkaProbe kafka, AutodocEvent event) {
    kafka.publish(event);
  }
}
