package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.testing.GitFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Generated files that the scope's limits let in (up to 64 MB) but no parser should be asked to
 * hold, through the real worker process with its real heap (512 MB): within the parse budget the
 * files are documented by name with the reason and the scope goes on; with the budget lifted the
 * worker runs out of heap, says so in its log, exits and is started again, and the scope fails once
 * its attempts are spent instead of the worker limping on.
 */
class OversizedFileIT {
  private static final Path PROJECT =
      Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
  private static final String LIMITS = "limits:\n  max_file_bytes: 67108864\n";

  /** {@code count} tiny Python functions: about 20 bytes each. */
  private static String functions(int count) {
    StringBuilder code = new StringBuilder(count * 22);
    for (int i = 0; i < count; i++) {
      code.append("def f").append(i).append("():\n    pass\n");
    }
    return code.toString();
  }

  @Test
  void filesBeyondTheParseBudgetAreDocumentedByNameAndTheWorkerStaysSmall() throws Exception {
    Path dataDir = CliTesting.newDataDir("oversized");
    try (GitFixture repo = CliTesting.repository("generated");
        LocalDeployment deployment =
            LocalDeployment.start(
                PROJECT, dataDir, LocalDeployment.ServiceOptions.DEFAULT, m -> {})) {
      String huge = functions(2_500_000);
      assertThat(huge.length()).isGreaterThan(50_000_000);
      repo.write("gen/.autodoc.yaml", LIMITS)
          .write("gen/huge.py", huge)
          .write("gen/dense.py", functions(150_000))
          .write("gen/real.py", "def real():\n    \"\"\"A real function.\"\"\"\n    return 1\n")
          .commit("generated code");
      ManagedProcess worker = worker(deployment);
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      String id = api.submit(Map.of("repository", repo.url())).body().path("id").asText();
      JsonNode job = CliTesting.awaitEnded(api, id, Duration.ofSeconds(240));

      assertThat(job.path("status").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
      JsonNode skipped = job.path("scopes").get(0).path("inventory").path("skipped");
      assertThat(skipped.path("too-large-to-parse").asInt()).isEqualTo(1);
      assertThat(skipped.path("too-many-declarations").asInt()).isEqualTo(1);
      assertThat(job.path("scopes").get(0).path("inventory").path("skippedExamples").toString())
          .contains("huge.py", "dense.py");
      // The one real function is documented; the worker never restarted and stayed small.
      String pages = api.pages(job.path("repository").path("id").asText()).body().toString();
      assertThat(pages).contains("gen/AGENTS.md");
      assertThat(worker(deployment).pid()).isEqualTo(worker.pid());
      long peak = peakResidentBytes(worker.pid());
      System.out.printf(
          "oversized: a %d MB file and a file of 150,000 functions documented by name;"
              + " worker peak RSS %d MiB%n",
          huge.length() >> 20, peak >> 20);
      assertThat(peak).isLessThan(1_536L << 20);
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  @Test
  void aWorkerOutOfHeapSaysSoExitsAndIsStartedAgainAndTheScopeFailsOnce() throws Exception {
    Path dataDir = CliTesting.newDataDir("out-of-heap");
    Map<String, String> noBudget =
        Map.of(
            "autodoc.worker.parse.max-bytes", "67108864",
            "autodoc.worker.parse.max-declarations", "100000000",
            "autodoc.worker.parse.timeout", "10m",
            "autodoc.worker.max-run-attempts", "1",
            "autodoc.worker.lease", "5s");
    try (GitFixture repo = CliTesting.repository("heap");
        LocalDeployment deployment =
            LocalDeployment.start(
                PROJECT,
                dataDir,
                new LocalDeployment.ServiceOptions(1, noBudget).withWorkerHeap("192m"),
                m -> {})) {
      repo.write("gen/.autodoc.yaml", LIMITS)
          .write("gen/huge.py", functions(2_600_000))
          .write("gen/ok.py", "def ok():\n    return 1\n")
          .commit("generated code");
      long first = worker(deployment).pid();
      Path log = worker(deployment).log();
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      String id = api.submit(Map.of("repository", repo.url())).body().path("id").asText();
      JsonNode job = CliTesting.awaitEnded(api, id, Duration.ofSeconds(420));

      String workerLog = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(workerLog).contains("java.lang.OutOfMemoryError");
      await().atMost(Duration.ofSeconds(60)).until(() -> worker(deployment).isAlive());
      assertThat(worker(deployment).pid()).isNotEqualTo(first);
      assertThat(job.path("status").asText()).isEqualTo("FAILED");
      JsonNode failed =
          java.util.stream.StreamSupport.stream(job.path("scopes").spliterator(), false)
              .filter(s -> s.path("path").asText().equals("gen"))
              .findFirst()
              .orElseThrow();
      assertThat(failed.path("status").asText()).isEqualTo("FAILED");
      assertThat(failed.path("error").path("reason").asText()).isEqualTo("ATTEMPTS_EXHAUSTED");
      System.out.printf(
          "out of heap: the worker exited %d times, the scope failed with %s%n",
          workerLog.split("java.lang.OutOfMemoryError", -1).length - 1,
          failed.path("error").path("message").asText());
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  private static ManagedProcess worker(LocalDeployment deployment) {
    return deployment.services().stream()
        .filter(p -> p.name().equals("worker-1"))
        .findFirst()
        .orElseThrow();
  }

  /** The most memory the process ever had resident (VmHWM), from the kernel. */
  private static long peakResidentBytes(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    throw new AssertionError("no VmHWM for " + pid);
  }
}
