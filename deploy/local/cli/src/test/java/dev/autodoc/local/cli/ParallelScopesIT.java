package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.local.testing.GitFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> api.job(id).body().path("status").asText().equals("COMPLETED"));
      // How many scopes ran at once, from each scope's first step start and last step end as the
      // job's step timeline recorded them: a poll of the job view could miss a short overlap.
      List<long[]> runs = new ArrayList<>();
      for (JsonNode scope : api.job(id).body().path("scopes")) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (JsonNode step : scope.path("steps")) {
          if (!step.hasNonNull("startedAt") || !step.hasNonNull("finishedAt")) {
            continue; // a step whose start or end event was lost says nothing of its span
          }
          start = Math.min(start, Instant.parse(step.path("startedAt").asText()).toEpochMilli());
          end = Math.max(end, Instant.parse(step.path("finishedAt").asText()).toEpochMilli());
        }
        runs.add(new long[] {start, end});
      }
      assertThat(runs).hasSize(SCOPES);
      // Twelve scopes over eight partitions, split between two consumers: both get work, and no
      // more than two scopes ever run at once.
      assertThat(mostAtOnce(runs)).isEqualTo(2);
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  /**
   * The most intervals that overlap at any instant (an end and a start at the same instant do not).
   */
  static int mostAtOnce(List<long[]> runs) {
    List<long[]> edges = new ArrayList<>();
    for (long[] run : runs) {
      edges.add(new long[] {run[0], 1});
      edges.add(new long[] {run[1], -1});
    }
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int now = 0;
    int most = 0;
    for (long[] edge : edges) {
      now += (int) edge[1];
      most = Math.max(most, now);
    }
    return most;
  }
}
