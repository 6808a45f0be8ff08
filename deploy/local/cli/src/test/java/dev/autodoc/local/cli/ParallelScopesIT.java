package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.local.testing.GitFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One worker runs scopes-in-flight scopes at once, and never more. */
class ParallelScopesIT {
  private static final int SCOPES = 12;

  @Test
  void aWorkerRunsAsManyScopesAtOnceAsItIsConfiguredFor() throws Exception {
    Path dataDir = CliTesting.newDataDir("parallel");
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    var worker =
        Map.of(
            "autodoc.worker.scopes-in-flight",
            "2",
            "autodoc.worker.fault-injection-step-delay",
            "400ms");
    try (GitFixture repo = CliTesting.repository("parallel");
        LocalDeployment deployment =
            LocalDeployment.start(
                project, dataDir, new LocalDeployment.ServiceOptions(1, worker), m -> {})) {
      for (int i = 0; i < SCOPES; i++) {
        repo.write("m" + i + "/.autodoc.yaml", "").write("m" + i + "/A.java", "class A {}\n");
      }
      repo.commit("twelve scopes");
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      String id = api.submit(Map.of("repository", repo.url())).body().path("id").asText();

      AtomicInteger most = new AtomicInteger();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                JsonNode job = api.job(id).body();
                int running = 0;
                for (JsonNode scope : job.path("scopes")) {
                  running += scope.path("status").asText().equals("RUNNING") ? 1 : 0;
                }
                most.accumulateAndGet(running, Math::max);
                return job.path("status").asText().equals("COMPLETED");
              });
      // Twelve scopes over eight partitions, split between two consumers: both get work.
      assertThat(most).hasValue(2);
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }
}
