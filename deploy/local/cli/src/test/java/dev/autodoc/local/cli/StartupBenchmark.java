package dev.autodoc.local.cli;

import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.stack.LocalStackOptions;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.stack.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where a cold start of the local deployment spends its time, part by part (the first step of
 * making {@code generate} ready in seconds): {@code ./mvnw -B install -DskipTests && ./mvnw -B
 * -Pbench -pl deploy/local/cli verify -Dit.test=StartupBenchmark}. Starts the stack (Kafka,
 * PostgreSQL and the S3 server in parallel), then each service alone until its readiness check
 * answers, then all of them at once, each awaited; then a whole cold start in a new data directory
 * as {@code generate} makes it, to ready for a job and to everything ready, and prints the times.
 * Numbers, not a pass mark.
 */
class StartupBenchmark {
  @Test
  void eachPartOfAColdStart() throws Exception {
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    ServiceLauncher.serviceJar(project, "orchestrator-service");
    Path dataDir = CliTesting.newDataDir("bench-startup");
    Map<String, Long> alone = new LinkedHashMap<>();
    Map<String, Long> shared = new LinkedHashMap<>();
    Map<String, Long> stackParts;
    long stackMillis;
    long allMillis;
    try {
      long t0 = System.nanoTime();
      try (LocalStack stack = LocalStack.start(LocalStackOptions.persistent(dataDir))) {
        stackMillis = (System.nanoTime() - t0) / 1_000_000;
        ServiceSettings.ownerOnly(dataDir);
        var endpoints = stack.endpoints();
        stackParts = stack.readyMillis();
        // Each service alone: without class-data sharing, then with its archive (made by an
        // earlier start, or by a first start here when the cache has none).
        for (var spec : specs(endpoints, dataDir, "alone")) {
          System.setProperty("autodoc.cds", "false");
          alone.put(spec.module(), startAndStop(project, dataDir, spec));
          System.setProperty("autodoc.cds", "true");
          startAndStop(project, dataDir, spec);
          shared.put(spec.module(), startAndStop(project, dataDir, spec));
        }
        long started = System.nanoTime();
        List<ManagedProcess> running = new ArrayList<>();
        List<ServiceLauncher.Spec> together = specs(endpoints, dataDir, "together");
        try {
          for (var spec : together) {
            running.add(ServiceLauncher.launch(project, dataDir, spec));
          }
          for (int i = 0; i < together.size(); i++) {
            ServiceLauncher.awaitHealthy(running.get(i), together.get(i).port());
          }
          allMillis = (System.nanoTime() - started) / 1_000_000;
        } finally {
          LocalStack.stopAll(running);
        }
      }
    } finally {
      LocalStack.deleteRecursively(dataDir);
    }
    System.out.printf(
        "%n=== cold start of the local deployment, part by part (2-core machine) ===%n");
    System.out.printf(
        "stack (Kafka, PostgreSQL, S3 in parallel, topics made): %6d ms %s%n",
        stackMillis, stackParts);
    alone.forEach(
        (module, ms) ->
            System.out.printf(
                "%-24s alone, to ready:  %6d ms; with its class-data archive %6d ms (ratio %.2f)%n",
                module, ms, shared.get(module), shared.get(module) / (double) ms));
    System.out.printf(
        "all four services at once, to ready:                  %6d ms (sum alone %d ms)%n",
        allMillis, alone.values().stream().mapToLong(Long::longValue).sum());
    System.out.printf(
        "stack, then all services, each awaited:                %6d ms%n", stackMillis + allMillis);
    // As generate starts a new data directory: the job waits for the broker, the database, the
    // orchestrator and a worker; the S3 server, callback service and reconciler start meanwhile.
    // Three times, since one cold start on a shared two-core machine varies by seconds.
    List<Long> forJobs = new ArrayList<>();
    List<Long> everything = new ArrayList<>();
    for (int run = 0; run < 3; run++) {
      Path fresh = CliTesting.newDataDir("bench-startup-generate");
      try {
        long t0 = System.nanoTime();
        try (var deployment =
            LocalDeployment.start(
                project,
                fresh,
                LocalDeployment.ServiceOptions.DEFAULT,
                message -> {},
                LocalDeployment.Wait.JOBS)) {
          forJobs.add((System.nanoTime() - t0) / 1_000_000);
          deployment.awaitBackground();
          everything.add((System.nanoTime() - t0) / 1_000_000);
        }
      } finally {
        LocalStack.deleteRecursively(fresh);
      }
    }
    long median = forJobs.stream().sorted().toList().get(1);
    System.out.printf(
        "cold start as generate does it, ready for a job:       %6d ms median of %s (ratio %.2f to"
            + " the line above); everything ready %s ms%n",
        median, forJobs, median / (double) (stackMillis + allMillis), everything);
  }

  private static long startAndStop(Path project, Path dataDir, ServiceLauncher.Spec spec) {
    long started = System.nanoTime();
    try (ManagedProcess process = ServiceLauncher.launchHealthy(project, dataDir, spec)) {
      long millis = (System.nanoTime() - started) / 1_000_000;
      process.stop(Duration.ofSeconds(30));
      return millis;
    }
  }

  private static List<ServiceLauncher.Spec> specs(
      dev.autodoc.local.stack.StackEndpoints endpoints, Path dataDir, String run) {
    return List.of(
        ServiceSettings.orchestratorSpec(
            endpoints, dataDir, "orchestrator-" + run, Ports.free(), Map.of()),
        ServiceSettings.workerSpec(
            endpoints, dataDir, "worker-" + run, Map.of(), ServiceLauncher.HEAP),
        ServiceSettings.callbackSpec(endpoints, dataDir, Map.of()),
        ServiceSettings.reconcilerSpec(endpoints, dataDir, "reconciler-" + run, Map.of()));
  }
}
