package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.sse.EventStream;
import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.testing.GitFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What tracing and the event stream add to a job's wall time, on the local stack: {@code ./mvnw -B
 * install -DskipTests && ./mvnw -B -Pbench -pl deploy/local/cli verify -Dit.test=TracingBenchmark}.
 * The same forced full job of six scopes runs, in turn, unwatched and followed through its event
 * stream on a deployment that records no trace, then unwatched on one that records and exports
 * every span to a collector. Prints the median job time (created to finished, as the orchestrator
 * stamps them) of each and the ratios; numbers, not a pass mark.
 */
class TracingBenchmark {
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

  @Test
  void jobTimeWithAndWithoutTracingAndTheEventStream() throws Exception {
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    try (GitFixture repo = sixScopes();
        OtlpReceiver collector = OtlpReceiver.start()) {
      List<Long> plain = new ArrayList<>();
      List<Long> followed = new ArrayList<>();
      run(
          project,
          repo,
          Map.of(),
          api -> {
            for (int i = 0; i < ROUNDS; i++) {
              plain.add(job(api, repo, false));
              followed.add(job(api, repo, true));
            }
          });
      Map<String, String> tracing = collector.serviceSettings();
      List<Long> traced = new ArrayList<>();
      run(
          project,
          repo,
          tracing,
          api -> {
            for (int i = 0; i < ROUNDS; i++) {
              traced.add(job(api, repo, false));
            }
          });
      assertThat(collector.spans()).isNotEmpty();

      long base = median(plain);
      System.out.printf(
          Locale.ROOT,
          "%n=== tracing and event stream: six-scope forced job, %d rounds (2-core machine) ===%n"
              + "no trace, unwatched:       median %5d ms  %s%n"
              + "no trace, event stream:    median %5d ms  %s  ratio %.2f%n"
              + "all traced and exported:   median %5d ms  %s  ratio %.2f%n"
              + "spans exported: %d%n",
          ROUNDS,
          base,
          plain,
          median(followed),
          followed,
          median(followed) / (double) base,
          median(traced),
          traced,
          median(traced) / (double) base,
          collector.spans().size());
    }
  }

  private interface Rounds {
    void run(ApiClient api) throws Exception;
  }

  /** Starts a deployment with the settings, warms it with three jobs, runs the rounds, stops it. */
  private static void run(
      Path project, GitFixture repo, Map<String, String> settings, Rounds rounds) throws Exception {
    Path dataDir = CliTesting.newDataDir("bench-tracing");
    try (LocalDeployment deployment =
        LocalDeployment.start(
            project, dataDir, new LocalDeployment.ServiceOptions(1, settings, settings), m -> {})) {
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      // Fresh JVMs are slow for the first jobs; the rounds measure warm services.
      for (int i = 0; i < 3; i++) {
        job(api, repo, false);
      }
      rounds.run(api);
    } finally {
      LocalStack.deleteRecursively(dataDir);
    }
  }

  /** One forced full job; its time from created to finished, in milliseconds. */
  private static long job(ApiClient api, GitFixture repo, boolean follow) throws Exception {
    String id =
        api.submit(Map.of("repository", repo.url(), "mode", "full", "force", true))
            .body()
            .path("id")
            .asText();
    if (follow) {
      try (EventStream events = api.events(id, null)) {
        while (events.next().isPresent()) {
          // Read to the end, as the CLI does; the stream ends with the job.
        }
      }
    }
    JsonNode job = CliTesting.awaitEnded(api, id, Duration.ofMinutes(5));
    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("COMPLETED");
    return Duration.between(
            Instant.parse(job.path("createdAt").asText()),
            Instant.parse(job.path("finishedAt").asText()))
        .toMillis();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  /** Six scopes of a few dozen small files each: enough steps and records to weigh. */
  private static GitFixture sixScopes() {
    GitFixture repo = CliTesting.repository("bench-traced");
    for (int s = 0; s < 6; s++) {
      repo.write("m" + s + "/.autodoc.yaml", "name: m" + s + "\n");
      for (int f = 0; f < 20; f++) {
        repo.write(
            "m" + s + "/src/C" + f + ".java",
            "/** Class "
                + f
                + " of module "
                + s
                + ". */\npublic class C"
                + f
                + " {\n"
                + "  /** Adds. */\n  public int add(int a, int b) { return a + b + "
                + f
                + "; }\n}\n");
      }
    }
    repo.commit("six modules");
    return repo;
  }
}
