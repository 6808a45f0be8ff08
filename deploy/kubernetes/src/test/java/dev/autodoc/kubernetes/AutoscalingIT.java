package dev.autodoc.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scope workers of the rendered base ({@link DeployedBase}) scaled by the {@link Autoscaler}
 * playing KEDA from the rendered ScaledObject, through a job of 200 scopes.
 */
@ExtendWith(DeployedBase.Shared.class)
class AutoscalingIT {
  private static DeployedBase base;

  @BeforeAll
  static void deploy(DeployedBase deployed) {
    base = deployed;
  }

  /**
   * The autoscaler scaling the workers of a 200-scope job on the backlog, out and back in while
   * scopes are in flight: every scope succeeds once, on its first attempt, and the job completes
   * once. Prints the replica timeline and the throughput at each replica count.
   */
  @Test
  void workersScaleOnTheBacklogAndEveryScopeCompletesExactlyOnce() throws Exception {
    int scopes = 200;
    try (GitFixture repo = base.repository("many");
        var kafka =
            new KafkaProbe(
                base.stack().endpoints().kafkaBootstrapServers(), List.of(Topics.JOB_COMPLETED))) {
      for (int i = 0; i < scopes; i++) {
        String dir = "part%03d".formatted(i);
        repo.write(dir + "/.autodoc.yaml", "name: " + dir + "\n")
            .write(dir + "/Part.java", "/** Part " + i + ". */\nclass Part" + i + " {}\n");
      }
      repo.commit("many scopes");
      base.handOver();
      JsonNode scaledObject =
          Kustomize.render("overlays/keda").stream()
              .filter(o -> o.path("kind").asText().equals("ScaledObject"))
              .findFirst()
              .orElseThrow();
      int min = scaledObject.at("/spec/minReplicaCount").asInt();
      String id = base.submit(repo, null);
      long start = System.nanoTime();
      try (var scaler =
          new Autoscaler(
                  base.pods(),
                  scaledObject,
                  base.stack().endpoints().kafkaBootstrapServers(),
                  SPEED_UP,
                  new Autoscaler.Scopes() {
                    @Override
                    public long done() {
                      return base.scopeRuns("status = 'SUCCEEDED'", id);
                    }

                    @Override
                    public int runningOn(String pod) {
                      return (int)
                          base.scopeRuns("status = 'RUNNING' and worker_id like ?", id, pod + "-%");
                    }
                  })
              .fixedAt(FIXED_WORKERS)
              .begin(List.of(base.pods().pod("autodoc-scope-worker")))) {
        await()
            .atMost(Duration.ofMinutes(12))
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> base.job(id).path("status").asText().matches("COMPLETED|FAILED"));
        double wall = (System.nanoTime() - start) / 1e9;
        // Back in to the minimum once the backlog is gone.
        await()
            .atMost(Duration.ofMinutes(2))
            .ignoreExceptions()
            .until(() -> scaler.timeline().getLast().replicas() == min);
        printTimeline(scaler.timeline());
        System.out.printf(
            "autoscaler: %d-scope job in %.1f s; %d replicas started; stopped on scale-in: %s%n",
            scopes, wall, scaler.started(), scaler.stops());
        // At a fixed count (a measurement), there is no scaling to check.
        if (FIXED_WORKERS == 0) {
          assertThat(scaler.timeline().stream().mapToInt(Autoscaler.Tick::replicas).max().orElse(0))
              .as("scaled out")
              .isGreaterThan(min);
          // Scaled in while the job's last scopes were still running (whether the pod stopped
          // was running one of them is the luck of the draw: ChaosIT makes sure of that case).
          assertThat(scaler.stops())
              .as("scaled in before the job's scopes were done")
              .anySatisfy(stop -> assertThat(stop.scopesDone()).isLessThan(scopes));
        }
      }
      JsonNode job = base.job(id);
      assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
      assertThat(base.scopeRuns("true", id)).as("scope runs").isEqualTo(scopes);
      assertThat(base.scopeRuns("status = 'SUCCEEDED' and attempt = 1", id))
          .as("succeeded on the first attempt")
          .isEqualTo(scopes);
      assertThat(
              kafka.records(
                  r -> r.topic().equals(Topics.JOB_COMPLETED) && id.equals(r.key()),
                  Duration.ofSeconds(5)))
          .as("JobCompleted records")
          .hasSize(1);
    }
  }

  /**
   * Time runs this much faster for the autoscaler than the ScaledObject says: polling every half
   * second, scaling in on what the last 6 s wanted.
   */
  private static final int SPEED_UP = 20;

  /**
   * {@code -Dautodoc.bench.fixed-workers=1}: the same job at a fixed number of workers, for the
   * wall time to set the autoscaled run against.
   */
  private static final int FIXED_WORKERS = Integer.getInteger("autodoc.bench.fixed-workers", 0);

  private static void printTimeline(List<Autoscaler.Tick> ticks) {
    System.out.println("autoscaler:     s   lag  replicas  scopes done");
    Map<Integer, double[]> perReplicas = new java.util.TreeMap<>();
    Autoscaler.Tick previous = null;
    Autoscaler.Tick printed = null;
    for (Autoscaler.Tick tick : ticks) {
      // Every change of the replica count, and every 5 s between.
      if (printed == null
          || tick.replicas() != printed.replicas()
          || tick.seconds() - printed.seconds() >= 5) {
        System.out.printf(
            "autoscaler: %5.0f %5d %9d %12d%n",
            tick.seconds(), tick.lag(), tick.replicas(), tick.done());
        printed = tick;
      }
      if (previous != null) {
        double[] sum = perReplicas.computeIfAbsent(previous.replicas(), r -> new double[2]);
        sum[0] += tick.done() - previous.done();
        sum[1] += tick.seconds() - previous.seconds();
      }
      previous = tick;
    }
    perReplicas.forEach(
        (replicas, sum) ->
            System.out.printf(
                "autoscaler: at %d replicas: %.2f scopes/s over %.0f s%n",
                replicas, sum[0] / sum[1], sum[1]));
  }
}
