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
 * job, the sessions in S3 and out of PostgreSQL, and silent workers replaced under two reconcilers.
 */
class AfterJobIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROJECT =
      Path.of(System.getProperty("autodoc.project.dir", "../../..")).toAbsolutePath();

  @Test
  void afterAJobItsReportIsOnTheApiAndItsSessionsAreInS3AndGoneFromPostgres() throws Exception {
    Path dataDir = CliTesting.newDataDir("after-job");
    try (GitFixture repo = CliTesting.nestedScopes();
        LocalDeployment deployment =
            LocalDeployment.start(
                PROJECT, dataDir, LocalDeployment.ServiceOptions.DEFAULT, m -> {})) {
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
    } finally {
      LocalDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  /** Slow steps, so a worker can be stopped mid-scope; a reconciler that acts within seconds. */
  private static final Map<String, String> WORKER =
      Map.of(
          "autodoc.worker.fault-injection-step-delay", "1500ms",
          "autodoc.worker.scopes-in-flight", "1",
          "autodoc.worker.lease", "3s",
          "autodoc.worker.heartbeat-interval", "500ms");

  private static final Map<String, String> RECONCILER =
      Map.of(
          "autodoc.reconciler.stale-after", "4s",
          "autodoc.reconciler.check-interval", "300ms");

  @Test
  void aWorkerThatFallsSilentHasItsScopeDispatchedOnceByOneOfTwoReconcilersAndTheJobCompletes()
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
        String victim = CliTesting.awaitRunningScope(api, id, "");
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
      }
    } finally {
      if (silent != null) {
        silent.destroyForcibly();
      }
      LocalDeployment.down(dataDir);
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

  private static long count(java.sql.Connection db, String sql) throws Exception {
    try (var rows = db.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
