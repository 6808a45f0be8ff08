package dev.autodoc.local.cli;

import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.stack.LocalStackOptions;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.stack.Ports;
import dev.autodoc.local.stack.StackEndpoints;
import dev.autodoc.local.stack.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * All of Autodoc on one machine: the local stack plus the orchestrator, the scope workers, the
 * callback service and the reconciler, each service its own process from the jar the build
 * packaged. A deployment either stops with its owner or is left running; one left running is
 * recorded in {@code services.properties} in the data directory, resumed by the next command (which
 * starts again only what died, never a second copy of what runs), and stopped by {@code down}, by
 * PID. While a command uses a deployment, a service that exits (one that ran out of memory, say) is
 * started again, as Kubernetes would.
 */
public final class LocalDeployment implements AutoCloseable {
  static final String STATE_FILE = "services.properties";
  static final String API_KEY_FILE = "api-key";
  public static final String CALLBACK_SECRET_FILE = "callback-secret";

  private final Path projectDir;
  private final Path dataDir;
  private final LocalStack stack;
  private final List<Running> services;
  private final String apiUrl;
  private final boolean attached;
  private final Progress progress;
  private final Thread shutdownHook = new Thread(this::close, "local-deployment-shutdown");
  private final Thread supervisor;
  private volatile boolean stopped;
  private volatile CompletableFuture<Void> background = CompletableFuture.completedFuture(null);

  /**
   * What a start waits for: {@link #EVERYTHING}, or the parts a job needs ({@link #JOBS}: the
   * broker, the database, the orchestrator and the workers), the rest coming up meanwhile at a
   * lower CPU priority (the S3 server, the callback service and the reconciler; see {@link
   * #awaitBackground()}).
   */
  public enum Wait {
    EVERYTHING,
    JOBS
  }

  /** A service process and how to start it again. */
  record Running(ServiceLauncher.Spec spec, ManagedProcess process) {}

  LocalDeployment(
      Path projectDir,
      Path dataDir,
      LocalStack stack,
      List<Running> services,
      String apiUrl,
      boolean attached,
      boolean supervise,
      Progress progress) {
    this.projectDir = projectDir;
    this.dataDir = dataDir;
    this.stack = stack;
    this.services = new CopyOnWriteArrayList<>(services);
    this.apiUrl = apiUrl;
    this.attached = attached;
    this.progress = progress;
    if (!attached) {
      // Ctrl-C or a failing test must not leave services running.
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    this.supervisor =
        supervise
            ? Thread.ofPlatform()
                .daemon()
                .unstarted(
                    new ServiceSupervisor(
                        projectDir,
                        dataDir,
                        this.services,
                        attached,
                        () -> stopped,
                        this::writeState,
                        progress))
            : null;
    if (supervisor != null) {
      supervisor.setName("local-deployment-supervisor");
      supervisor.start();
    }
  }

  /**
   * Options of the services: how many workers, extra settings of the workers, extra settings of the
   * other services (orchestrator, callback and reconciler; each ignores the others' keys), whether
   * a service that exits is started again, and the workers' heap.
   */
  public record ServiceOptions(
      int workers,
      Map<String, String> workerSettings,
      Map<String, String> serviceSettings,
      boolean restartExited,
      String workerHeap) {
    public static final ServiceOptions DEFAULT = new ServiceOptions(1, Map.of());

    public ServiceOptions(int workers, Map<String, String> workerSettings) {
      this(workers, workerSettings, Map.of());
    }

    public ServiceOptions(
        int workers, Map<String, String> workerSettings, Map<String, String> serviceSettings) {
      this(workers, workerSettings, serviceSettings, true, ServiceLauncher.HEAP);
    }

    /** The same options with workers of another heap ({@code -Xmx}, as {@code 96m}). */
    public ServiceOptions withWorkerHeap(String heap) {
      return new ServiceOptions(workers, workerSettings, serviceSettings, restartExited, heap);
    }
  }

  /**
   * Uses the deployment a previous command left running in {@code dataDir}, starting again what of
   * it died, or starts one.
   */
  public static LocalDeployment startOrResume(
      Path projectDir, Path dataDir, ServiceOptions options, Progress progress) {
    return startOrResume(projectDir, dataDir, options, progress, Wait.EVERYTHING);
  }

  /** As {@link #startOrResume(Path, Path, ServiceOptions, Progress)}, waiting for {@code wait}. */
  public static LocalDeployment startOrResume(
      Path projectDir, Path dataDir, ServiceOptions options, Progress progress, Wait wait) {
    Optional<LocalStack> running = LocalStack.resume(dataDir, progress::note);
    if (running.isEmpty()) {
      return start(projectDir, dataDir, options, progress, wait);
    }
    return RecordedDeployment.resume(projectDir, dataDir, running.get(), options, progress);
  }

  /** Starts the stack and the services; they stop with {@link #close()} unless detached. */
  public static LocalDeployment start(
      Path projectDir, Path dataDir, ServiceOptions options, Progress progress) {
    return start(projectDir, dataDir, options, progress, Wait.EVERYTHING);
  }

  /**
   * Starts the stack and the services, returning once {@code wait} is ready; they stop with {@link
   * #close()} unless detached.
   */
  public static LocalDeployment start(
      Path projectDir, Path dataDir, ServiceOptions options, Progress progress, Wait wait) {
    ServiceLauncher.serviceJar(projectDir, "orchestrator-service");
    progress.note("starting Kafka, PostgreSQL and the S3 server (data in " + dataDir + ")");
    boolean yielding = wait == Wait.JOBS;
    LocalStack stack = LocalStack.start(LocalStackOptions.persistent(dataDir), yielding);
    LocalDeployment deployment;
    try {
      deployment = withServices(projectDir, dataDir, stack, options, false, yielding, progress);
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    if (wait == Wait.EVERYTHING) {
      try {
        deployment.awaitBackground();
      } catch (RuntimeException e) {
        deployment.close();
        throw e;
      }
    } else {
      deployment.background.whenComplete(
          (ok, failed) -> {
            if (failed != null && !deployment.stopped) {
              Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
              progress.note(cause.getMessage());
            }
          });
    }
    return deployment;
  }

  /**
   * Waits until what started in the background (the S3 server, the callback service and the
   * reconciler) is ready; at once for a resumed deployment.
   *
   * @throws IllegalStateException naming what did not start, and why
   */
  public void awaitBackground() {
    try {
      background.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  static LocalDeployment withServices(
      Path projectDir,
      Path dataDir,
      LocalStack stack,
      ServiceOptions options,
      boolean attached,
      boolean yielding,
      Progress progress) {
    ServiceSettings.ownerOnly(dataDir);
    StackEndpoints endpoints = stack.endpoints();
    progress.note(
        "starting the orchestrator and "
            + options.workers()
            + " scope worker"
            + (options.workers() == 1 ? "" : "s")
            + (yielding ? "; the callback service and the reconciler in the background" : ""));
    int apiPort = Ports.free();
    List<ServiceLauncher.Spec> specs = new ArrayList<>();
    specs.add(
        ServiceSettings.orchestratorSpec(
            endpoints, dataDir, "orchestrator", apiPort, options.serviceSettings()));
    for (int i = 1; i <= options.workers(); i++) {
      specs.add(
          ServiceSettings.workerSpec(
              endpoints, dataDir, "worker-" + i, options.workerSettings(), options.workerHeap()));
    }
    specs.add(ServiceSettings.callbackSpec(endpoints, dataDir, options.serviceSettings()));
    specs.add(
        ServiceSettings.reconcilerSpec(
            endpoints, dataDir, "reconciler", options.serviceSettings()));
    List<Running> services = new ArrayList<>();
    try {
      for (var spec : specs) {
        services.add(
            new Running(spec, ServiceLauncher.launch(projectDir, dataDir, spec, yielding)));
      }
      // The services start while the broker may still be starting: they connect once it answers.
      stack.awaitBroker();
      services.stream()
          .filter(s -> !(yielding && s.spec().background()))
          .forEach(s -> ServiceLauncher.awaitHealthy(s.process(), s.spec().port()));
    } catch (RuntimeException e) {
      LocalStack.stopAll(services.stream().map(Running::process).toList());
      throw e;
    }
    List<Running> inBackground =
        services.stream().filter(s -> yielding && s.spec().background()).toList();
    var deployment =
        new LocalDeployment(
            projectDir,
            dataDir,
            stack,
            services,
            "http://127.0.0.1:" + apiPort,
            attached,
            options.restartExited(),
            progress);
    deployment.writeState();
    deployment.background =
        CompletableFuture.runAsync(
            () -> {
              stack.awaitBackground();
              for (Running service : inBackground) {
                try {
                  ServiceLauncher.awaitHealthy(service.process(), service.spec().port());
                } catch (RuntimeException e) {
                  throw new IllegalStateException(
                      service.spec().name() + " did not start: " + e.getMessage(), e);
                }
              }
            },
            ManagedProcess.OWN_THREADS);
    return deployment;
  }

  /**
   * Starts one more orchestrator replica against the running stack, with the same API key, for
   * tests of several replicas; returns its API's address.
   */
  public String startOrchestrator(String name, Map<String, String> settings) {
    int port = Ports.free();
    joined(ServiceSettings.orchestratorSpec(stack.endpoints(), dataDir, name, port, settings));
    return "http://127.0.0.1:" + port;
  }

  /** Starts one more scope worker against the running stack, for crash-recovery scenarios. */
  public ManagedProcess startWorker(String name, Map<String, String> settings) {
    return joined(
        ServiceSettings.workerSpec(
            stack.endpoints(), dataDir, name, settings, ServiceLauncher.HEAP));
  }

  /** Starts the callback service (again, after a test stopped it), with extra settings. */
  public ManagedProcess startCallback(Map<String, String> settings) {
    services.removeIf(s -> s.spec().name().equals("callback") && !s.process().isAlive());
    return joined(ServiceSettings.callbackSpec(stack.endpoints(), dataDir, settings));
  }

  /** Starts one more reconciler against the running stack, for tests of several replicas. */
  public ManagedProcess startReconciler(String name, Map<String, String> settings) {
    return joined(ServiceSettings.reconcilerSpec(stack.endpoints(), dataDir, name, settings));
  }

  /** A service started on the running deployment: recorded, and ready once healthy. */
  private ManagedProcess joined(ServiceLauncher.Spec spec) {
    ManagedProcess process = ServiceLauncher.launchHealthy(projectDir, dataDir, spec);
    services.add(new Running(spec, process));
    writeState();
    return process;
  }

  /** The deployment left running in {@code dataDir}, if the stack and every service are alive. */
  public static Optional<LocalDeployment> attach(Path dataDir) {
    return RecordedDeployment.attach(dataDir);
  }

  public String apiUrl() {
    return apiUrl;
  }

  /** The admin key, read from its owner-only file in the data directory. */
  public String apiKey() {
    return ServiceSettings.secret(dataDir, API_KEY_FILE, "adk_");
  }

  public Path apiKeyFile() {
    return dataDir.resolve(API_KEY_FILE);
  }

  public boolean attached() {
    return attached;
  }

  public LocalStack stack() {
    return stack;
  }

  public List<ManagedProcess> processes() {
    var all = new ArrayList<>(stack.processes());
    all.addAll(services());
    return all;
  }

  public List<ManagedProcess> services() {
    return services.stream().map(Running::process).toList();
  }

  /** Leaves everything running after this process exits. */
  public void detach() {
    stopped = true;
    removeHook();
    stack.detach();
  }

  /**
   * Stops the services and the stack, unless this deployment was found running (then it is left as
   * it was).
   */
  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (attached) {
      return;
    }
    removeHook();
    LocalStack.stopAll(services());
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

  void writeState() {
    var state = new Properties();
    List<Running> now = List.copyOf(services);
    ManagedProcess.record(state, now.stream().map(Running::process).toList());
    now.forEach(s -> s.spec().record(state));
    state.setProperty("api.url", apiUrl);
    state.setProperty("project.dir", projectDir.toString());
    StateFiles.write(
        dataDir.resolve(STATE_FILE),
        state,
        "Autodoc services; written by LocalDeployment, read by later commands and down");
  }

  /** Where the deployment tells what it is doing. */
  public interface Progress {
    void note(String message);
  }
}
