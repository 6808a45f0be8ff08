package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.stack.StackEndpoints;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A worker killed with SIGKILL in the middle of a scope costs that scope one more attempt and
 * nothing else: the job completes, every scope result is stored once, JobCompleted is emitted once.
 */
class WorkerCrashIT {
  /** Slow steps, so the kill lands mid-scope; short leases, so the test does not wait long. */
  private static final Map<String, String> WORKER =
      Map.of(
          "autodoc.worker.fault-injection-step-delay", "1500ms",
          "autodoc.worker.scopes-in-flight", "1",
          "autodoc.worker.lease", "5s",
          "autodoc.worker.heartbeat-interval", "1s");

  @Test
  void killingTheWorkerMidScopeCostsThatScopeOneAttemptAndTheJobCompletesOnce() throws Exception {
    Path dataDir = CliTesting.newDataDir("crash");
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    try (GitFixture repo = CliTesting.nestedScopes();
        LocalDeployment deployment =
            LocalDeployment.start(
                project, dataDir, new LocalDeployment.ServiceOptions(1, WORKER), m -> {})) {
      StackEndpoints endpoints = deployment.stack().endpoints();
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      try (KafkaProbe kafka = new KafkaProbe(endpoints.kafkaBootstrapServers(), Topics.all())) {
        String id = api.submit(Map.of("repository", repo.url())).body().path("id").asText();
        ManagedProcess first = deployment.services().get(1);

        String victim = CliTesting.awaitRunningScope(api, id, "worker-1");
        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.isAlive());

        deployment.startWorker("worker-2", WORKER);

        JsonNode job = CliTesting.awaitEnded(api, id, Duration.ofSeconds(120));
        assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
        List<String> attempts = new ArrayList<>();
        job.path("scopes")
            .forEach(
                s ->
                    attempts.add(
                        s.path("path").asText()
                            + "="
                            + s.path("status").asText()
                            + "/"
                            + s.path("attempt").asInt()));
        assertThat(attempts).contains(victim + "=SUCCEEDED/2");
        assertThat(attempts).allSatisfy(a -> assertThat(a).contains("=SUCCEEDED/"));

        try (var db =
                DriverManager.getConnection(
                    endpoints.jdbcUrl(), endpoints.postgresUser(), endpoints.postgresPassword());
            var runs =
                db.createStatement()
                    .executeQuery(
                        "select count(*), count(distinct scope_path) from worker.scope_run where job_id = '"
                            + id
                            + "'")) {
          runs.next();
          assertThat(runs.getInt(1)).isEqualTo(4).isEqualTo(runs.getInt(2));
        }

        List<ConsumerRecord<String, String>> completed =
            kafka.records(
                r -> r.topic().equals(Topics.JOB_COMPLETED) && id.equals(r.key()),
                Duration.ofSeconds(3));
        assertThat(completed).hasSize(1);
        List<ConsumerRecord<String, String>> outcomes =
            kafka.records(
                r -> r.topic().equals(Topics.SCOPE_COMPLETED) && id.equals(r.key()), Duration.ZERO);
        assertThat(outcomes).hasSize(4);
        assertThat(outcomes)
            .extracting(ConsumerRecord::value)
            .filteredOn(v -> v.contains("\"scopePath\":\"" + victim + "\""))
            .singleElement()
            .satisfies(v -> assertThat(v).contains("\"attempt\":2"));
      }
    } finally {
      LocalDeployment.down(dataDir);
      assertThat(CliTesting.processesUsing(dataDir)).isEmpty();
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }
}
