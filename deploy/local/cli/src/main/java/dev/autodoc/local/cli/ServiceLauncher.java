package dev.autodoc.local.cli;

import dev.autodoc.local.stack.ClassDataSharing;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.stack.StateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Starts the services of the local deployment, each from the jar the build packaged. A service's
 * settings, its secrets among them (the API key, the callback signing secret), go into a file of
 * its own in the data directory that only its owner can read, named on the command line by path: a
 * command line is readable by every user of the machine ({@code ps}), a file is not. The file also
 * lets a later command start a service that died again, with the same settings and port.
 */
final class ServiceLauncher {
  /** Above the services' own {@code application.properties} (250), below the environment. */
  private static final int CONFIG_ORDINAL = 275;

  /**
   * One client for every readiness poll: a client has a thread of its own, and a new one per poll
   * (five a second per service while a deployment starts) only added work to a busy start.
   */
  private static final HttpClient HEALTH =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ServiceLauncher() {}

  /** The heap of a service, as a container limit would set it. */
  static final String HEAP = "512m";

  /**
   * The orchestrator's heap: it holds a job's plan and events, not file contents, and stays under
   * 512 MiB resident with this (ScaleBenchmark: 1,000 scopes, 10,000 files).
   */
  static final String ORCHESTRATOR_HEAP = "256m";

  /**
   * glibc gives each thread that allocates its own arena of up to 64 MiB; with the model's and the
   * database pool's threads that is memory held and never used. Two arenas are what the JVM's own
   * allocations need.
   */
  static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  /**
   * The services no job waits for: the callback service (it reads job ends from Kafka whenever it
   * is up) and the reconciler (recovery, metrics and archives, all retried). They run at a lower
   * CPU priority, so that a cold start on a small machine gives the orchestrator and the workers
   * the processors first.
   */
  static final Set<String> BACKGROUND_MODULES = Set.of("callback-service", "reconciler-service");

  /**
   * The services that work through whole repositories: the workers parse every file on every core,
   * allocating fast. The serial collector stopped both parsing threads often and promoted trees
   * still being built: jackson-core's 136 files took 1.2-1.4 s to read on two threads, 0.5-0.9 s
   * with the parallel collector (one JVM each, same heap). The other services are mostly idle, and
   * keep the serial collector's smaller footprint.
   */
  static final Set<String> THROUGHPUT_MODULES = Set.of("scope-worker-service");

  /**
   * What a service is: its name, the module of its jar, its HTTP port, its settings file and its
   * heap.
   */
  record Spec(String name, String module, int port, Path config, String heap) {
    boolean background() {
      return BACKGROUND_MODULES.contains(module);
    }

    String collector() {
      return THROUGHPUT_MODULES.contains(module) ? "-XX:+UseParallelGC" : "-XX:+UseSerialGC";
    }

    void record(Properties state) {
      state.setProperty(name + ".module", module);
      state.setProperty(name + ".port", Integer.toString(port));
      state.setProperty(name + ".config", config.toString());
      state.setProperty(name + ".heap", heap);
    }

    static Spec recorded(Properties state, String name) {
      return new Spec(
          name,
          state.getProperty(name + ".module"),
          Integer.parseInt(state.getProperty(name + ".port")),
          Path.of(state.getProperty(name + ".config")),
          state.getProperty(name + ".heap", HEAP));
    }
  }

  /** Writes the service's settings into its owner-only file and returns its spec. */
  static Spec configure(
      Path dataDir, String name, String module, int port, Map<String, String> settings) {
    return configure(dataDir, name, module, port, settings, HEAP);
  }

  static Spec configure(
      Path dataDir,
      String name,
      String module,
      int port,
      Map<String, String> settings,
      String heap) {
    Path file = dataDir.resolve("services").resolve(name + ".properties");
    var properties = new Properties();
    properties.putAll(settings);
    properties.setProperty("config_ordinal", Integer.toString(CONFIG_ORDINAL));
    try (Writer w = StateFiles.ownerOnlyWriter(file)) {
      properties.store(w, "settings of " + name + "; secrets included, readable by its owner only");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the settings of " + name, e);
    }
    return new Spec(name, module, port, file, heap);
  }

  static ManagedProcess launch(Path projectDir, Path dataDir, Spec spec) {
    return launch(projectDir, dataDir, spec, false);
  }

  /**
   * Starts a service; a {@link Spec#background()} one at a lower CPU priority when {@code
   * yielding}, that is when something waits for the others first.
   */
  static ManagedProcess launch(Path projectDir, Path dataDir, Spec spec, boolean yielding) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m",
                "-Xmx" + spec.heap(),
                spec.collector(),
                "-XX:TieredStopAtLevel=1",
                // A service out of heap is in an unknown state: it exits (the JVM says why in its
                // log) and is started again, rather than limping on.
                "-XX:+ExitOnOutOfMemoryError",
                // the worker's tree-sitter grammars are native libraries loaded through JNI
                "--enable-native-access=ALL-UNNAMED"));
    Path jar = serviceJar(projectDir, spec.module());
    command.addAll(ClassDataSharing.options(spec.module(), List.of(jar)));
    command.addAll(
        List.of("-Dquarkus.config.locations=" + spec.config().toUri(), "-jar", jar.toString()));
    try {
      return ManagedProcess.start(
          spec.name(),
          yielding && spec.background() ? ManagedProcess.lowPriority(command) : command,
          ENVIRONMENT,
          dataDir,
          dataDir.resolve("logs").resolve(spec.name() + ".log"),
          ManagedProcess.StopSignal.TERM);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + spec.name(), e);
    }
  }

  static ManagedProcess launchHealthy(Path projectDir, Path dataDir, Spec spec) {
    ManagedProcess process = launch(projectDir, dataDir, spec);
    awaitHealthy(process, spec.port());
    return process;
  }

  static void awaitHealthy(ManagedProcess service, int port) {
    service.awaitReady(Duration.ofSeconds(120), () -> healthy("http://127.0.0.1:" + port));
  }

  static boolean healthy(String baseUrl) {
    try {
      var response =
          HEALTH.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Path serviceJar(Path projectDir, String module) {
    Path jar = projectDir.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build the project first (./mvnw -B -DskipTests package)");
    }
    return jar;
  }
}
