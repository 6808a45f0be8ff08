package dev.autodoc.local.cli;

import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.stack.LocalStackOptions;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.stack.Ports;
import dev.autodoc.local.stack.StackEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * All of Autodoc on one machine: the local stack plus the orchestrator and one scope worker, each
 * service its own process from the jar the build packaged. A deployment either stops with its owner
 * or is left running; one left running is recorded in {@code services.properties} in the data
 * directory, found again by the next command, and stopped by {@code down}, by PID.
 */
public final class LocalDeployment implements AutoCloseable {
  static final String STATE_FILE = "services.properties";
  static final String API_KEY_FILE = "api-key";
  public static final String CALLBACK_SECRET_FILE = "callback-secret";

  private final Path projectDir;
  private final Path dataDir;
  private final LocalStack stack;
  private final List<ManagedProcess> services;
  private final String apiUrl;
  private final String apiKey;
  private final boolean attached;
  private final Thread shutdownHook = new Thread(this::close, "local-deployment-shutdown");
  private volatile boolean stopped;

  private LocalDeployment(
      Path projectDir,
      Path dataDir,
      LocalStack stack,
      List<ManagedProcess> services,
      String apiUrl,
      String apiKey,
      boolean attached) {
    this.projectDir = projectDir;
    this.dataDir = dataDir;
    this.stack = stack;
    this.services = services;
    this.apiUrl = apiUrl;
    this.apiKey = apiKey;
    this.attached = attached;
    if (!attached) {
      // Ctrl-C or a failing test must not leave services running.
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /**
   * Options of the services: how many workers, extra settings of the workers, and extra settings of
   * the other services (orchestrator, callback and reconciler; each ignores the others' keys).
   */
  public record ServiceOptions(
      int workers, Map<String, String> workerSettings, Map<String, String> serviceSettings) {
    public static final ServiceOptions DEFAULT = new ServiceOptions(1, Map.of());

    public ServiceOptions(int workers, Map<String, String> workerSettings) {
      this(workers, workerSettings, Map.of());
    }
  }

  /** Uses the deployment a previous command left running in {@code dataDir}, or starts one. */
  public static LocalDeployment startOrAttach(
      Path projectDir, Path dataDir, ServiceOptions options, Progress progress) {
    Optional<LocalDeployment> running = attach(dataDir);
    if (running.isPresent()) {
      progress.note("using the Autodoc left running in " + dataDir);
      return running.get();
    }
    return start(projectDir, dataDir, options, progress);
  }

  /**
   * Starts the stack and the services; they stop with {@link #close()} unless {@link #detach()}ed.
   */
  public static LocalDeployment start(
      Path projectDir, Path dataDir, ServiceOptions options, Progress progress) {
    Path orchestratorJar = serviceJar(projectDir, "orchestrator-service");
    Path workerJar = serviceJar(projectDir, "scope-worker-service");
    progress.note("starting Kafka, PostgreSQL and the S3 server (data in " + dataDir + ")");
    LocalStack stack = LocalStack.start(LocalStackOptions.persistent(dataDir));
    List<ManagedProcess> services = new ArrayList<>();
    try {
      String apiKey = secret(dataDir, API_KEY_FILE, "adk_");
      int apiPort = Ports.free();
      StackEndpoints endpoints = stack.endpoints();
      progress.note(
          "starting the orchestrator and "
              + options.workers()
              + " scope worker"
              + (options.workers() == 1 ? "" : "s"));
      Map<String, String> orchestratorConfig = serviceConfig(endpoints, apiPort);
      orchestratorConfig.put("autodoc.orchestrator.git.allow-local", "true");
      orchestratorConfig.put(
          "autodoc.orchestrator.workspace-dir", dataDir.resolve("orchestrator").toString());
      orchestratorConfig.put("autodoc.orchestrator.api-keys.local.key", apiKey);
      orchestratorConfig.put("autodoc.orchestrator.api-keys.local.roles", "admin");
      orchestratorConfig.putAll(options.serviceSettings());
      ManagedProcess orchestrator =
          startService("orchestrator", orchestratorJar, orchestratorConfig, dataDir);
      services.add(orchestrator);
      List<Integer> workerPorts = new ArrayList<>();
      for (int i = 1; i <= options.workers(); i++) {
        int port = Ports.free();
        workerPorts.add(port);
        services.add(
            startWorker(
                workerJar, endpoints, dataDir, "worker-" + i, port, options.workerSettings()));
      }
      int callbackPort = Ports.free();
      ManagedProcess callback =
          startCallback(projectDir, endpoints, dataDir, callbackPort, options.serviceSettings());
      services.add(callback);
      int reconcilerPort = Ports.free();
      ManagedProcess reconciler =
          startReconciler(
              projectDir,
              endpoints,
              dataDir,
              "reconciler",
              reconcilerPort,
              options.serviceSettings());
      services.add(reconciler);
      awaitHealthy(orchestrator, apiPort);
      for (int i = 0; i < workerPorts.size(); i++) {
        awaitHealthy(services.get(i + 1), workerPorts.get(i));
      }
      awaitHealthy(callback, callbackPort);
      awaitHealthy(reconciler, reconcilerPort);
      var deployment =
          new LocalDeployment(
              projectDir, dataDir, stack, services, "http://127.0.0.1:" + apiPort, apiKey, false);
      deployment.writeState();
      return deployment;
    } catch (RuntimeException e) {
      LocalStack.stopAll(services);
      stack.close();
      throw e;
    }
  }

  /** Starts one more scope worker against the running stack, for crash-recovery scenarios. */
  public ManagedProcess startWorker(String name, Map<String, String> settings) {
    int port = Ports.free();
    ManagedProcess worker =
        startWorker(
            serviceJar(projectDir, "scope-worker-service"),
            stack.endpoints(),
            dataDir,
            name,
            port,
            settings);
    return joined(worker, port);
  }

  /** A service started on the running deployment: recorded, and ready once healthy. */
  private ManagedProcess joined(ManagedProcess service, int port) {
    services.add(service);
    awaitHealthy(service, port);
    writeState();
    return service;
  }

  /** What every service needs: the stack's endpoints and its own port on loopback. */
  private static Map<String, String> serviceConfig(StackEndpoints endpoints, int port) {
    Map<String, String> config = new LinkedHashMap<>(endpoints.serviceConfig());
    config.put("quarkus.http.port", Integer.toString(port));
    config.put("quarkus.http.host", "127.0.0.1");
    // On one machine, repositories, providers and callback receivers on loopback are allowed.
    config.put("autodoc.support.allowed-hosts", "127.0.0.0/8,::1,localhost");
    return config;
  }

  private static ManagedProcess startWorker(
      Path jar,
      StackEndpoints endpoints,
      Path dataDir,
      String name,
      int port,
      Map<String, String> settings) {
    Map<String, String> config = serviceConfig(endpoints, port);
    config.put(
        "autodoc.worker.id",
        name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000);
    config.put("autodoc.worker.git.allow-local", "true");
    config.put("autodoc.worker.workspace-dir", dataDir.resolve("worker").toString());
    // Archived sessions leave the database soon after the reconciler archived them.
    config.put("autodoc.worker.session-purge-interval", "5s");
    config.putAll(settings);
    return startService(name, jar, config, dataDir);
  }

  /**
   * Starts the callback service (again, after a test stopped it) against the running stack, with
   * extra settings.
   */
  public ManagedProcess startCallback(Map<String, String> settings) {
    int port = Ports.free();
    ManagedProcess callback = startCallback(projectDir, stack.endpoints(), dataDir, port, settings);
    return joined(callback, port);
  }

  /** Starts one more reconciler against the running stack, for tests of several replicas. */
  public ManagedProcess startReconciler(String name, Map<String, String> settings) {
    int port = Ports.free();
    ManagedProcess reconciler =
        startReconciler(projectDir, stack.endpoints(), dataDir, name, port, settings);
    return joined(reconciler, port);
  }

  private static ManagedProcess startReconciler(
      Path projectDir,
      StackEndpoints endpoints,
      Path dataDir,
      String name,
      int port,
      Map<String, String> settings) {
    Map<String, String> config = serviceConfig(endpoints, port);
    config.putAll(settings);
    return startService(name, serviceJar(projectDir, "reconciler-service"), config, dataDir);
  }

  /**
   * The callback service signs with a secret kept in the data directory (file {@value
   * #CALLBACK_SECRET_FILE}), for receivers to verify with.
   */
  private static ManagedProcess startCallback(
      Path projectDir,
      StackEndpoints endpoints,
      Path dataDir,
      int port,
      Map<String, String> settings) {
    Map<String, String> config = serviceConfig(endpoints, port);
    config.put("autodoc.callback.secret", secret(dataDir, CALLBACK_SECRET_FILE, "adcb_"));
    config.putAll(settings);
    return startService("callback", serviceJar(projectDir, "callback-service"), config, dataDir);
  }

  /** The deployment left running in {@code dataDir}, if the stack and every service are alive. */
  public static Optional<LocalDeployment> attach(Path dataDir) {
    Path file = dataDir.resolve(STATE_FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Optional<LocalStack> stack = LocalStack.attach(dataDir);
    if (stack.isEmpty()) {
      return Optional.empty();
    }
    Properties state = LocalStack.readProperties(file);
    List<Optional<ManagedProcess>> recorded = ManagedProcess.recorded(state);
    if (recorded.stream().anyMatch(Optional::isEmpty)) {
      return Optional.empty();
    }
    List<ManagedProcess> services = new ArrayList<>(recorded.stream().map(Optional::get).toList());
    String apiUrl = state.getProperty("api.url");
    if (!healthy(apiUrl)) {
      return Optional.empty();
    }
    return Optional.of(
        new LocalDeployment(
            Path.of(state.getProperty("project.dir", ".")),
            dataDir,
            stack.get(),
            services,
            apiUrl,
            state.getProperty("api.key"),
            true));
  }

  /** Stops what a previous {@code --keep-running} left up; false when nothing was running. */
  public static boolean down(Path dataDir) {
    Path file = dataDir.resolve(STATE_FILE);
    boolean any = false;
    if (Files.exists(file)) {
      List<ManagedProcess> alive =
          ManagedProcess.recorded(LocalStack.readProperties(file)).stream()
              .flatMap(Optional::stream)
              .toList();
      LocalStack.stopAll(alive);
      any = !alive.isEmpty();
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return LocalStack.down(dataDir) || any;
  }

  public String apiUrl() {
    return apiUrl;
  }

  public String apiKey() {
    return apiKey;
  }

  public boolean attached() {
    return attached;
  }

  public LocalStack stack() {
    return stack;
  }

  public List<ManagedProcess> processes() {
    var all = new ArrayList<>(stack.processes());
    all.addAll(services);
    return all;
  }

  public List<ManagedProcess> services() {
    return List.copyOf(services);
  }

  /** Leaves everything running after this process exits. */
  public void detach() {
    removeHook();
    stack.detach();
  }

  /**
   * Stops the services and the stack, unless this deployment was found running (then it is left as
   * it was).
   */
  @Override
  public void close() {
    if (attached || stopped) {
      return;
    }
    stopped = true;
    removeHook();
    LocalStack.stopAll(services);
    try {
      Files.deleteIfExists(dataDir.resolve(STATE_FILE));
    } catch (IOException ignored) {
      // Best effort.
    }
    stack.close();
  }

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException ignored) {
      // Shutting down already, or never registered.
    }
  }

  private static ManagedProcess startService(
      String name, Path jar, Map<String, String> config, Path dataDir) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                // A service out of heap is in an unknown state: it exits (the JVM says why in its
                // log) and is started again, rather than limping on.
                "-XX:+ExitOnOutOfMemoryError",
                // the worker's tree-sitter grammars are native libraries loaded through JNI
                "--enable-native-access=ALL-UNNAMED"));
    config.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(List.of("-jar", jar.toString()));
    try {
      return ManagedProcess.start(
          name,
          command,
          Map.of(),
          dataDir,
          dataDir.resolve("logs").resolve(name + ".log"),
          ManagedProcess.StopSignal.TERM);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  private static void awaitHealthy(ManagedProcess service, int port) {
    service.awaitReady(Duration.ofSeconds(120), () -> healthy("http://127.0.0.1:" + port));
  }

  private static boolean healthy(String baseUrl) {
    try {
      var response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(2))
              .build()
              .send(
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

  /** The API key of this data directory, made once and kept. */
  /** A secret kept in a file of the data directory, readable by its owner only; made once. */
  private static String secret(Path dataDir, String name, String prefix) {
    Path file = dataDir.resolve(name);
    try {
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      String key = prefix + HexFormat.of().formatHex(bytes);
      Files.writeString(file, key);
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeState() {
    var state = new Properties();
    ManagedProcess.record(state, services);
    state.setProperty("api.url", apiUrl);
    state.setProperty("api.key", apiKey);
    state.setProperty("project.dir", projectDir.toString());
    try (Writer w = Files.newBufferedWriter(dataDir.resolve(STATE_FILE))) {
      state.store(
          w, "Autodoc services; written by LocalDeployment, read by later commands and down");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the deployment tells what it is doing. */
  public interface Progress {
    void note(String message);
  }
}
