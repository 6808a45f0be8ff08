package dev.autodoc.worker;

import static dev.autodoc.worker.WorkerProbe.awaitIndexed;
import static dev.autodoc.worker.WorkerProbe.awaitOutcomes;
import static dev.autodoc.worker.WorkerProbe.db;
import static dev.autodoc.worker.WorkerProbe.endpoints;
import static dev.autodoc.worker.WorkerProbe.outcomeOf;
import static dev.autodoc.worker.WorkerProbe.publish;
import static dev.autodoc.worker.WorkerProbe.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.event.EventType;
import dev.autodoc.common.event.ScopeCompleted;
import dev.autodoc.common.event.ScopeFailed;
import dev.autodoc.common.event.ScopeOutcome;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class ScopeWorkerIT {
  private KafkaProbe kafka;
  private GitFixture repo;
  private String sha;

  @BeforeEach
  void setUp() {
    kafka = new KafkaProbe(endpoints().kafkaBootstrapServers(), Topics.all());
    repo =
        GitFixture.create(
            Path.of(System.getProperty("autodoc.build.dir", "target"), "repos"), "worker");
    sha =
        repo.writeAll(
                Map.of(
                    "api/.autodoc.yaml", "",
                    "api/Api.java",
                        "package api;\n\n/** The entry point. */\npublic class Api {\n  /** Says hello. */\n  public String hello() {\n    return \"hi\";\n  }\n}\n",
                    "api/internal/Impl.java", "class Impl {}\n",
                    "api/nested/.autodoc.yaml", "",
                    "api/nested/N.java", "class N {}\n",
                    "README.md", "# repo\n"))
            .commit("code");
  }

  @AfterEach
  void tearDown() {
    kafka.close();
    repo.close();
  }

  @Test
  void aRequestedScopeIsScannedStoredAndReported() throws Exception {
    ScopeRequested request = request("api", List.of("api/nested"), 1);
    publish(kafka, request);
    ScopeCompleted completed = (ScopeCompleted) awaitOutcomes(kafka, request, 1).getFirst();
    assertThat(completed.attempt()).isEqualTo(1);
    assertThat(completed.inventory().files()).isEqualTo(3);
    assertThat(completed.inventory().languages()).containsOnlyKeys("java", "yaml");
    try (Connection db = db()) {
      assertThat(
              query(
                  db,
                  "select status || ' ' || attempt from worker.scope_run where job_id = ?",
                  request.jobId()))
          .containsExactly("SUCCEEDED 1");
      assertThat(
              query(
                  db,
                  "select path from worker.scope_file where job_id = ? order by path",
                  request.jobId()))
          .containsExactly(".autodoc.yaml", "Api.java", "internal/Impl.java");
    }
    // The pages and the README are stored with the commit, and the event reports their quality.
    assertThat(completed.quality().pages()).isEqualTo(2);
    assertThat(completed.quality().minScore()).isGreaterThanOrEqualTo(0.7);
    try (Connection db = db()) {
      assertThat(
              query(
                  db,
                  "select path || ' ' || kind from worker.page where job_id = ? order by path",
                  request.jobId()))
          .containsExactly(
              "AGENTS.md README", "docs/autodoc/index.md PAGE", "docs/autodoc/modules/api.md PAGE");
      assertThat(
              query(
                  db,
                  "select markdown from worker.page where job_id = ? and path like '%modules/api.md'",
                  request.jobId()))
          .singleElement()
          .asString()
          .contains("### `Api`")
          .contains("| `hello` |")
          .contains("Says hello.");
    }
    // What an incremental run starts from: the run's commit and structure, each page's sources.
    try (Connection db = db()) {
      assertThat(
              query(
                  db,
                  "select commit_sha || ' ' || (structure -> 'pages' -> 1 ->> 'path')"
                      + " from worker.scope_run where job_id = ?",
                  request.jobId()))
          .containsExactly(sha + " modules/api.md");
      assertThat(
              query(
                  db,
                  "select sources::text from worker.page where job_id = ? and path like '%modules/api.md'",
                  request.jobId()))
          .containsExactly("[\"Api.java\"]");
    }
    // Every page is stored in chunks inside the model's window, with 384-dimension vectors (made
    // by the indexer once the scope is done).
    awaitIndexed(request);
    try (Connection db = db()) {
      assertThat(
              query(
                  db,
                  "select count(*) > 0 and max(tokens) <= 512 and min(array_length(v.embedding, 1)) = 384"
                      + " and bool_and(commit_sha = '"
                      + sha
                      + "') from worker.chunk c join worker.chunk_vector v on v.model = c.model"
                      + " and v.model_version = c.model_version and v.digest = c.digest where job_id = ?",
                  request.jobId()))
          .containsExactly("t");
    }
    // Each page and the README was an agent session, recorded with its steps.
    try (Connection db = db()) {
      assertThat(
              query(
                  db,
                  "select page_path || ' ' || agent || ' ' || status || ' ' || jsonb_array_length(steps)"
                      + " from worker.agent_session where job_id = ? order by page_path",
                  request.jobId()))
          .containsExactly(
              "AGENTS.md static COMPLETED 0",
              "index.md static COMPLETED 1",
              "modules/api.md static COMPLETED 1");
      assertThat(
              query(
                  db,
                  "select input ->> 'page' from worker.agent_session where job_id = ? and page_path = 'modules/api.md'",
                  request.jobId()))
          .containsExactly("modules/api.md");
    }
    // The run's workspace is gone once the scope is reported.
    Path runs =
        Path.of(System.getProperty("autodoc.build.dir", "target"), "worker-workspace", "runs");
    try (var left = java.nio.file.Files.walk(runs)) {
      assertThat(left.filter(p -> p.toString().contains(request.jobId().toString()))).isEmpty();
    }
    var progress =
        kafka.await(
            r ->
                r.topic().equals(Topics.JOB_PROGRESS) && r.key().equals(request.jobId().toString()),
            12,
            Duration.ofSeconds(20));
    // Each step's start then its end, in the pipeline's order: the job's timeline reads them so.
    assertThat(progress)
        .extracting(r -> stepAndPhase(r.value()))
        .containsExactly(
            "fetch STARTED",
            "fetch FINISHED",
            "scan STARTED",
            "scan FINISHED",
            "checkout STARTED",
            "checkout FINISHED",
            "extract STARTED",
            "extract FINISHED",
            "generate STARTED",
            "generate FINISHED",
            "embed STARTED",
            "embed FINISHED");
  }

  private static String stepAndPhase(String json) {
    var step = java.util.regex.Pattern.compile("\"step\":\"(\\w+)\"").matcher(json);
    var phase = java.util.regex.Pattern.compile("\"phase\":\"(\\w+)\"").matcher(json);
    assertThat(step.find() && phase.find()).as(json).isTrue();
    return step.group(1) + " " + phase.group(1);
  }

  @Test
  void aRedeliveredOrRepeatedRequestNeverRunsAFinishedScopeAgain() {
    ScopeRequested request = request("api", List.of("api/nested"), 1);
    publish(kafka, request);
    awaitOutcomes(kafka, request, 1);
    publish(kafka, request);
    publish(
        kafka,
        new ScopeRequested(
            UUID.randomUUID(),
            request.jobId(),
            Instant.now(),
            1,
            request.repositoryId(),
            request.repositoryUrl(),
            request.commitSha(),
            request.scopePath(),
            request.config(),
            request.excludedPaths(),
            1));
    assertThat(kafka.records(outcomeOf(request), Duration.ofSeconds(4))).hasSize(1);
  }

  @Test
  void aScopeWhoseWorkerStoppedHeartbeatingIsTakenOverWithTheNextAttempt() throws Exception {
    ScopeRequested request = request("api", List.of("api/nested"), 1);
    try (Connection db = db()) {
      insertRun(db, request, 1, "dead-worker", "now() - interval '1 minute'");
    }
    publish(kafka, request);
    ScopeOutcome outcome = awaitOutcomes(kafka, request, 1).getFirst();
    assertThat(outcome).isInstanceOf(ScopeCompleted.class);
    assertThat(outcome.attempt()).isEqualTo(2);
    assertThat(outcome.workerId()).isNotEqualTo("dead-worker");
  }

  @Test
  void aScopeHeldByALiveWorkerIsLeftToItAndNotRunTwice() throws Exception {
    ScopeRequested request = request("api", List.of("api/nested"), 1);
    try (Connection db = db()) {
      insertRun(db, request, 1, "live-worker", "now()");
      publish(kafka, request);
      Thread.sleep(1500);
      // The live worker finishes within its lease.
      db.createStatement()
          .execute(
              "update worker.scope_run set status = 'SUCCEEDED' where job_id = '"
                  + request.jobId()
                  + "'");
      assertThat(kafka.records(outcomeOf(request), Duration.ofSeconds(6))).isEmpty();
      assertThat(
              query(
                  db,
                  "select worker_id || ' ' || attempt from worker.scope_run where job_id = ?",
                  request.jobId()))
          .containsExactly("live-worker 1");
    }
  }

  @Test
  void aScopeOutOfAttemptsFailsWithTheReason() throws Exception {
    ScopeRequested request = request("api", List.of(), 1);
    try (Connection db = db()) {
      insertRun(db, request, 3, "dead-worker", "now() - interval '1 minute'");
    }
    publish(kafka, request);
    ScopeFailed failed = (ScopeFailed) awaitOutcomes(kafka, request, 1).getFirst();
    assertThat(failed.error().reason().name()).isEqualTo("ATTEMPTS_EXHAUSTED");
    assertThat(failed.error().message()).contains("started 3 times");
  }

  @Test
  void aScopeOverItsFileLimitFailsPermanentlyWithAClearMessage() {
    var config =
        new ScopeConfig(
            1,
            "api",
            List.of(),
            List.of(),
            ScopeConfig.Output.DEFAULT,
            ScopeConfig.Agent.DEFAULT,
            new ScopeConfig.Limits(1000, 1));
    ScopeRequested request =
        new ScopeRequested(
            UUID.randomUUID(),
            UUID.randomUUID(),
            Instant.now(),
            1,
            "worker-repo",
            repo.dir().toUri().toString(),
            sha,
            "api",
            config,
            List.of("api/nested"),
            1);
    publish(kafka, request);
    ScopeFailed failed = (ScopeFailed) awaitOutcomes(kafka, request, 1).getFirst();
    assertThat(failed.error().reason().name()).isEqualTo("LIMIT_EXCEEDED");
    assertThat(failed.error().message()).contains("more than 1 files");
  }

  @Test
  void aCommitThatDoesNotExistFailsTheScope() {
    ScopeRequested base = request("api", List.of(), 1);
    ScopeRequested request =
        new ScopeRequested(
            base.eventId(),
            base.jobId(),
            base.occurredAt(),
            1,
            base.repositoryId(),
            base.repositoryUrl(),
            "ffffffffffffffffffffffffffffffffffffffff",
            "api",
            base.config(),
            List.of(),
            1);
    publish(kafka, request);
    ScopeFailed failed = (ScopeFailed) awaitOutcomes(kafka, request, 1).getFirst();
    assertThat(failed.error().reason().name()).isEqualTo("COMMIT_NOT_FOUND");
  }

  @Test
  void aPoisonRecordIsDeadLetteredAndTheNextRequestStillRuns() {
    kafka.send(
        Topics.SCOPE_REQUESTED,
        "poison",
        "{\"eventId\": 42}",
        Map.of("ce_type", EventType.SCOPE_REQUESTED.ceType()));
    ScopeRequested request = request("api", List.of("api/nested"), 1);
    publish(kafka, request);
    awaitOutcomes(kafka, request, 1);
    var dead =
        kafka.await(
            r ->
                r.topic().equals(Topics.deadLetter(Topics.SCOPE_REQUESTED))
                    && "poison".equals(r.key()),
            1,
            Duration.ofSeconds(20));
    assertThat(KafkaProbe.header(dead.getFirst(), "dead-letter-reason"))
        .contains("dev.autodoc.scope.requested.v1");
  }

  private ScopeRequested request(String scope, List<String> excluded, int attempt) {
    return new ScopeRequested(
        UUID.randomUUID(),
        UUID.randomUUID(),
        Instant.now(),
        1,
        "worker-repo",
        repo.dir().toUri().toString(),
        sha,
        scope,
        ScopeConfig.defaults(scope),
        excluded,
        attempt);
  }

  private static void insertRun(
      Connection db, ScopeRequested request, int attempt, String worker, String heartbeat)
      throws SQLException {
    try (var st =
        db.prepareStatement(
            "insert into worker.scope_run (job_id, scope_path, attempt, status, worker_id, commit_sha, heartbeat_at, started_at)"
                + " values (?, ?, ?, 'RUNNING', ?, ?, "
                + heartbeat
                + ", now())")) {
      st.setObject(1, request.jobId());
      st.setString(2, request.scopePath());
      st.setInt(3, attempt);
      st.setString(4, worker);
      st.setString(5, request.commitSha());
      st.executeUpdate();
    }
  }
}
