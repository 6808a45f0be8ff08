package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.stack.StackEndpoints;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What happens after a job on the whole local deployment: the reconciler's quality report on the
 * job, the sessions in S3 and out of PostgreSQL, idle mirrors removed, silent workers replaced and
 * their workspaces cleaned up, and schedules fired, under two reconcilers.
 */
class AfterJobIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROJECT =
      Path.of(System.getProperty("autodoc.project.dir", "../../..")).toAbsolutePath();

  /** Mirrors idle for a second go, once their repository has no job running. */
  private static final Map<String, String> SHORT_RETENTION =
      Map.of(
          "autodoc.orchestrator.mirror-retention", "1s",
          "autodoc.orchestrator.cleanup-interval", "500ms",
          "autodoc.worker.mirror-retention", "1s",
          "autodoc.worker.cleanup-interval", "500ms");

  @Test
  void afterAJobItsReportIsOnTheApiItsSessionsAreInS3AndGoneFromPostgresAndItsMirrorsGo()
      throws Exception {
    Path dataDir = CliTesting.newDataDir("after-job");
    try (GitFixture repo = CliTesting.nestedScopes();
        LocalDeployment deployment =
            LocalDeployment.start(
                PROJECT,
                dataDir,
                new LocalDeployment.ServiceOptions(1, SHORT_RETENTION, SHORT_RETENTION),
                m -> {})) {
      StackEndpoints endpoints = deployment.stack().endpoints();
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      String id = api.submit(Map.of("repository", repo.url())).body().path("id").asText();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> api.job(id).body().path("status").asText().equals("COMPLETED"));

      // The report settles once the reconciler consumed JobCompleted; it agrees with the scopes.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.job(id).body().path("quality").path("scopes").size() == 4);
      JsonNode job = api.job(id).body();
      int pages = 0;
      for (JsonNode scope : job.path("scopes")) {
        pages += scope.path("quality").path("pages").asInt();
      }
      assertThat(pages).isPositive();
      assertThat(job.path("quality").path("overall").path("pages").asInt()).isEqualTo(pages);
      assertThat(job.path("quality").path("overall").path("runAttempts").asInt()).isEqualTo(4);

      String repositoryId = job.path("repository").path("id").asText();
      String url =
          endpoints.s3Endpoint()
              + "/"
              + endpoints.s3Bucket()
              + "/sessions/"
              + repositoryId
              + "/"
              + id
              + ".jsonl.gz";
      AtomicReference<byte[]> object = new AtomicReference<>();
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                var response =
                    http.send(
                        HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                object.set(response.body());
                return response.statusCode() == 200;
              });
      Set<String> archived = new HashSet<>();
      try (var in = new GZIPInputStream(new ByteArrayInputStream(object.get()))) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          JsonNode session = JSON.readTree(line);
          assertThat(session.path("jobId").asText()).isEqualTo(id);
          assertThat(session.path("pagePath").asText()).isNotEmpty();
          archived.add(session.path("id").asText());
        }
      }
      assertThat(archived).hasSizeGreaterThanOrEqualTo(pages);

      try (var db =
          DriverManager.getConnection(
              endpoints.jdbcUrl(), endpoints.postgresUser(), endpoints.postgresPassword())) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    count(
                            db,
                            "select count(*) from worker.agent_session where job_id = '" + id + "'")
                        == 0);
        assertThat(
                count(
                    db,
                    "select count(*) from reconciler.archived_session where job_id = '" + id + "'"))
            .isEqualTo(archived.size());
      }

      // The job used a mirror of the repository in the orchestrator and in the worker; idle and
      // with no job running, both are removed (their lock files, a few bytes, stay).
      for (Path mirrors :
          List.of(dataDir.resolve("orchestrator/mirrors"), dataDir.resolve("worker/mirrors"))) {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .untilAsserted(
                () -> {
                  try (var left = java.nio.file.Files.list(mirrors)) {
                    assertThat(left.map(p -> p.getFileName().toString()))
                        .allMatch(n -> n.endsWith(".git.lock"));
                  }
                });
      }
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  /** Slow steps, so a worker can be stopped mid-scope; a reconciler that acts within seconds. */
  private static final Map<String, String> WORKER =
      Map.of(
          "autodoc.worker.fault-injection-step-delay", "1500ms",
          "autodoc.worker.scopes-in-flight", "1",
          "autodoc.worker.lease", "3s",
          "autodoc.worker.heartbeat-interval", "500ms",
          "autodoc.worker.cleanup-interval", "500ms");

  private static final Map<String, String> RECONCILER =
      Map.of(
          "autodoc.reconciler.stale-after", "4s",
          "autodoc.reconciler.check-interval", "300ms",
          // The stopped worker keeps its partitions until its Kafka session times out (10 s) and
          // the new worker has joined: attempts every 4 s must not all be spent by then.
          "autodoc.reconciler.max-scope-attempts", "8",
          // The schedule below falls due every 3 s.
          "autodoc.orchestrator.schedule-min-interval", "1s");

  @Test
  void underTwoReconcilersASilentWorkersScopeIsDispatchedOnceAndSchedulesFireOnce()
      throws Exception {
    Path dataDir = CliTesting.newDataDir("silent-worker");
    ProcessHandle silent = null;
    try (GitFixture repo = CliTesting.nestedScopes();
        LocalDeployment deployment =
            LocalDeployment.start(
                PROJECT,
                dataDir,
                new LocalDeployment.ServiceOptions(1, WORKER, RECONCILER),
                m -> {})) {
      deployment.startReconciler("reconciler-2", RECONCILER);
      StackEndpoints endpoints = deployment.stack().endpoints();
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      try (KafkaProbe kafka = new KafkaProbe(endpoints.kafkaBootstrapServers(), Topics.all())) {
        String id = api.submit(Map.of("repository", repo.url())).body().path("id").asText();
        ManagedProcess first = deployment.services().get(1);
        String victim = CliTesting.awaitRunningScope(deployment, api, id, "").path("path").asText();
        Path runs = dataDir.resolve("worker/runs");
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> !workspacesOf(runs, "worker-1-").isEmpty());
        // Stopped, not killed: the process is there, its heartbeat is not.
        silent = ProcessHandle.of(first.pid()).orElseThrow();
        new ProcessBuilder("kill", "-STOP", Long.toString(first.pid())).start().waitFor();
        deployment.startWorker("worker-2", WORKER);

        JsonNode job = CliTesting.awaitEnded(api, id, Duration.ofSeconds(180));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("COMPLETED");

        // The reconcilers dispatched the silent scope again, each attempt exactly once between
        // them.
        List<ConsumerRecord<String, String>> redispatched =
            kafka.records(
                r ->
                    r.topic().equals(Topics.SCOPE_REQUESTED)
                        && r.key().startsWith(id)
                        && "/autodoc/reconciler".equals(KafkaProbe.header(r, "ce_source")),
                Duration.ofSeconds(2));
        assertThat(redispatched).isNotEmpty();
        List<String> attempts =
            redispatched.stream()
                .map(r -> readJson(r.value()))
                .map(n -> n.path("scopePath").asText() + "#" + n.path("attempt").asInt())
                .toList();
        assertThat(attempts).doesNotHaveDuplicates().contains(victim + "#2");

        // The silent worker's workspace outlives it; once the job ended, worker-2 removes it.
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> workspacesOf(runs, "worker-1-").isEmpty());

        // A schedule every 3 s: each due time fires once between the two reconcilers, as a job.
        String repositoryId = job.path("repository").path("id").asText();
        var scheduled = api.schedule(repositoryId, Map.of("cron", "*/3 * * * * *"));
        assertThat(scheduled.status()).as(scheduled.body().toString()).isEqualTo(200);
        java.util.function.Predicate<ConsumerRecord<String, String>> fromSchedule =
            r ->
                r.topic().equals(Topics.JOB_REQUESTED)
                    && "/autodoc/reconciler".equals(KafkaProbe.header(r, "ce_source"))
                    && !readJson(r.value()).path("jobId").asText().equals(id);
        kafka.await(fromSchedule, 3, Duration.ofSeconds(60));
        assertThat(api.unschedule(repositoryId).status()).isEqualTo(204);
        List<String> requested =
            kafka.records(fromSchedule, Duration.ofSeconds(3)).stream()
                .map(r -> readJson(r.value()).path("jobId").asText())
                .toList();
        assertThat(requested).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
        try (var db =
            DriverManager.getConnection(
                endpoints.jdbcUrl(), endpoints.postgresUser(), endpoints.postgresPassword())) {
          // Every due time is recorded once; those that requested a job name exactly these.
          assertThat(
                  strings(
                      db,
                      "select job_id from reconciler.schedule_run where job_id is not null"
                          + " and repository_id = '"
                          + repositoryId
                          + "'"))
              .containsExactlyInAnyOrderElementsOf(requested);
        }
        // The orchestrator took each up as an incremental job of the repository.
        for (String scheduledJob : requested) {
          JsonNode ended = CliTesting.awaitEnded(api, scheduledJob, Duration.ofSeconds(120));
          assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("COMPLETED");
          assertThat(ended.path("mode").asText()).isEqualTo("INCREMENTAL");
        }
      }
    } finally {
      if (silent != null) {
        silent.destroyForcibly();
      }
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  private static JsonNode readJson(String value) {
    try {
      return JSON.readTree(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The scope workspaces of workers whose names start with {@code prefix}. */
  private static List<Path> workspacesOf(Path runs, String prefix) throws java.io.IOException {
    if (!java.nio.file.Files.isDirectory(runs)) {
      return List.of();
    }
    try (var workers = java.nio.file.Files.list(runs)) {
      List<Path> found = new java.util.ArrayList<>();
      for (Path worker :
          workers.filter(w -> w.getFileName().toString().startsWith(prefix)).toList()) {
        try (var workspaces = java.nio.file.Files.list(worker)) {
          found.addAll(workspaces.toList());
        } catch (java.nio.file.NoSuchFileException e) {
          // removed meanwhile
        }
      }
      return found;
    }
  }

  private static List<String> strings(java.sql.Connection db, String sql) throws Exception {
    List<String> values = new java.util.ArrayList<>();
    try (var rows = db.createStatement().executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  private static long count(java.sql.Connection db, String sql) throws Exception {
    try (var rows = db.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
