package dev.autodoc.local.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The embedded infrastructure of Autodoc on one machine: a KRaft Kafka broker, PostgreSQL and an
 * S3-compatible server, each its own process on random loopback ports, stopped by PID.
 *
 * <p>A stack either stops with its owner ({@link #close()}, or the JVM's shutdown hook when a test
 * fails hard) or is left running ({@link #detach()}); a stack left running is found again through
 * the state file in its data directory ({@link #attach}) and stopped with {@link #down}.
 */
public final class LocalStack implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalStack.class);
  static final String STATE_FILE = "stack.properties";

  private final LocalStackOptions options;
  private final List<ManagedProcess> processes;
  private final StackEndpoints endpoints;
  private final Thread shutdownHook;
  private volatile boolean owned = true;

  private LocalStack(
      LocalStackOptions options,
      List<ManagedProcess> processes,
      StackEndpoints endpoints,
      boolean hook) {
    this.options = options;
    this.processes = new ArrayList<>(processes);
    this.endpoints = endpoints;
    this.shutdownHook = hook ? new Thread(this::stopQuietly, "local-stack-shutdown") : null;
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** Starts the three servers in parallel and waits until each answers. */
  public static LocalStack start(LocalStackOptions options) {
    long started = System.nanoTime();
    ServerRuntime runtime = ServerRuntime.load();
    Path dir = options.dataDir();
    List<ManagedProcess> processes = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      int s3Port = Ports.free();
      String s3Endpoint = "http://127.0.0.1:" + s3Port;
      ManagedProcess s3 = S3Server.start(runtime, dir.resolve("s3"), s3Port, Ports.free());
      processes.add(s3);
      var s3Ready = CompletableFuture.runAsync(() -> S3Server.awaitReady(s3, s3Endpoint));

      String bootstrap;
      CompletableFuture<Void> brokerReady;
      if (options.externalKafka().isPresent()) {
        bootstrap = options.externalKafka().get();
        brokerReady = CompletableFuture.completedFuture(null);
      } else {
        int kafkaPort = Ports.free();
        bootstrap = "127.0.0.1:" + kafkaPort;
        ManagedProcess kafka =
            KafkaBroker.start(runtime, dir.resolve("kafka"), kafkaPort, Ports.free());
        processes.add(kafka);
        brokerReady = CompletableFuture.runAsync(() -> KafkaBroker.awaitReady(kafka, bootstrap));
      }
      var kafkaReady =
          brokerReady.thenRun(() -> KafkaBroker.createTopics(bootstrap, options.partitions()));

      LocalStackOptions.ExternalPostgres pg;
      CompletableFuture<Void> postgresReady;
      if (options.externalPostgres().isPresent()) {
        pg = options.externalPostgres().get();
        postgresReady = CompletableFuture.completedFuture(null);
      } else {
        int pgPort = Ports.free();
        ManagedProcess postgres =
            PostgresServer.start(
                runtime, options.cacheDir(), dir.resolve("postgres"), pgPort, options.durable());
        processes.add(postgres);
        pg =
            new LocalStackOptions.ExternalPostgres(
                "127.0.0.1", pgPort, PostgresServer.DATABASE, PostgresServer.USER, "autodoc");
        postgresReady =
            CompletableFuture.runAsync(() -> PostgresServer.awaitReady(postgres, pgPort));
      }
      var endpoints =
          new StackEndpoints(
              bootstrap,
              pg.host(),
              pg.port(),
              pg.database(),
              pg.user(),
              pg.password(),
              s3Endpoint,
              S3Server.BUCKET);
      CompletableFuture.allOf(kafkaReady, s3Ready, postgresReady).join();

      var stack = new LocalStack(options, processes, endpoints, true);
      stack.writeState();
      LOG.infof(
          "local stack up in %d ms: Kafka %s, PostgreSQL %s, S3 %s (data in %s)",
          (System.nanoTime() - started) / 1_000_000,
          bootstrap,
          endpoints.jdbcUrl(),
          s3Endpoint,
          dir);
      return stack;
    } catch (Exception e) {
      processes.forEach(p -> stopQuietly(p));
      if (options.ephemeral()) {
        deleteRecursively(dir);
      }
      Throwable cause =
          e instanceof java.util.concurrent.CompletionException && e.getCause() != null
              ? e.getCause()
              : e;
      throw new IllegalStateException(
          "the local stack did not start: " + cause.getMessage(), cause);
    }
  }

  /** The stack an earlier process left running in {@code dataDir}, if all its servers are alive. */
  public static Optional<LocalStack> attach(Path dataDir) {
    Path file = dataDir.resolve(STATE_FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties state = readProperties(file);
    List<Optional<ManagedProcess>> recorded = ManagedProcess.recorded(state);
    if (recorded.stream().anyMatch(Optional::isEmpty)) {
      return Optional.empty();
    }
    List<ManagedProcess> processes = recorded.stream().map(Optional::get).toList();
    var endpoints =
        new StackEndpoints(
            state.getProperty("kafka.bootstrap"),
            state.getProperty("postgres.host"),
            Integer.parseInt(state.getProperty("postgres.port")),
            state.getProperty("postgres.database"),
            state.getProperty("postgres.user"),
            state.getProperty("postgres.password"),
            state.getProperty("s3.endpoint"),
            state.getProperty("s3.bucket"));
    if (!Ports.listening(
        Integer.parseInt(endpoints.kafkaBootstrapServers().replaceAll(".*:", "")))) {
      return Optional.empty();
    }
    var stack = new LocalStack(LocalStackOptions.persistent(dataDir), processes, endpoints, false);
    stack.owned = false;
    return Optional.of(stack);
  }

  /** Stops the stack left running in {@code dataDir}, by the PIDs it recorded. */
  public static boolean down(Path dataDir) {
    Optional<LocalStack> stack = attach(dataDir);
    stack.ifPresent(
        s -> {
          s.owned = true;
          s.close();
        });
    try {
      Files.deleteIfExists(dataDir.resolve(STATE_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return stack.isPresent();
  }

  public StackEndpoints endpoints() {
    return endpoints;
  }

  public Path dataDir() {
    return options.dataDir();
  }

  public List<ManagedProcess> processes() {
    return List.copyOf(processes);
  }

  /** The servers of the stack, by the name their process carries. */
  public enum Server {
    KAFKA("kafka"),
    POSTGRES("postgres"),
    S3("s3");

    private final String processName;

    Server(String processName) {
      this.processName = processName;
    }

    public String processName() {
      return processName;
    }
  }

  /** Stops the S3 server by its PID, as an outage would; {@link #startS3()} brings it back. */
  public synchronized void stopS3() {
    stop(Server.S3);
  }

  /** Starts the S3 server again on its port, with the objects it stored before. */
  public synchronized void startS3() {
    restart(Server.S3);
  }

  /** Stops a server by its PID, gracefully, as an operator would. */
  public synchronized void stop(Server server) {
    process(server).stop(Duration.ofSeconds(10));
  }

  /** Kills a server and its children with SIGKILL, as a crash would: nothing is flushed. */
  public synchronized void kill(Server server) {
    process(server).kill();
  }

  /**
   * Starts a stopped or killed server again on its port, with the data it kept, and waits until it
   * answers. Clients reconnect to the same address.
   */
  public synchronized void restart(Server server) {
    ManagedProcess old = process(server);
    if (old.isAlive()) {
      throw new IllegalStateException(server + " still runs as PID " + old.pid());
    }
    int index = processes.indexOf(old);
    ServerRuntime runtime = ServerRuntime.load();
    Path dir = options.dataDir();
    try {
      ManagedProcess started =
          switch (server) {
            case S3 -> {
              var s3 =
                  S3Server.start(
                      runtime,
                      dir.resolve("s3"),
                      URI.create(endpoints.s3Endpoint()).getPort(),
                      Ports.free());
              S3Server.awaitReady(s3, endpoints.s3Endpoint());
              yield s3;
            }
            case KAFKA -> {
              String bootstrap = endpoints.kafkaBootstrapServers();
              int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
              var kafka = KafkaBroker.start(runtime, dir.resolve("kafka"), port, Ports.free());
              KafkaBroker.awaitReady(kafka, bootstrap);
              yield kafka;
            }
            case POSTGRES -> {
              var postgres =
                  PostgresServer.start(
                      runtime,
                      options.cacheDir(),
                      dir.resolve("postgres"),
                      endpoints.postgresPort(),
                      options.durable());
              PostgresServer.awaitReady(postgres, endpoints.postgresPort());
              yield postgres;
            }
          };
      processes.set(index, started);
      writeState();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ManagedProcess process(Server server) {
    return processes.stream()
        .filter(p -> p.name().equals(server.processName()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("this stack runs no " + server));
  }

  /** Leaves the servers running after this process exits; {@link #down} stops them later. */
  public void detach() {
    owned = false;
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // Already shutting down.
      }
    }
  }

  @Override
  public void close() {
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // Called from the hook itself.
      }
    }
    stopQuietly();
  }

  private void stopQuietly() {
    if (!owned) {
      return;
    }
    owned = false;
    stopAll(processes);
    try {
      Files.deleteIfExists(options.dataDir().resolve(STATE_FILE));
    } catch (IOException ignored) {
      // The directory may be gone already.
    }
    if (options.ephemeral()) {
      deleteRecursively(options.dataDir());
    }
  }

  /** Stops the processes at once, each by its own PID: their graceful shutdowns overlap. */
  public static void stopAll(List<ManagedProcess> processes) {
    CompletableFuture.allOf(
            processes.stream()
                .map(p -> CompletableFuture.runAsync(() -> stopQuietly(p)))
                .toArray(CompletableFuture[]::new))
        .join();
  }

  private static void stopQuietly(ManagedProcess process) {
    try {
      process.stop(Duration.ofSeconds(20));
    } catch (RuntimeException e) {
      LOG.warnf("could not stop %s: %s", process.name(), e.getMessage());
    }
  }

  private void writeState() throws IOException {
    var state = new Properties();
    ManagedProcess.record(state, processes);
    state.setProperty("kafka.bootstrap", endpoints.kafkaBootstrapServers());
    state.setProperty("postgres.host", endpoints.postgresHost());
    state.setProperty("postgres.port", Integer.toString(endpoints.postgresPort()));
    state.setProperty("postgres.database", endpoints.postgresDatabase());
    state.setProperty("postgres.user", endpoints.postgresUser());
    state.setProperty("postgres.password", endpoints.postgresPassword());
    state.setProperty("s3.endpoint", endpoints.s3Endpoint());
    state.setProperty("s3.bucket", endpoints.s3Bucket());
    try (Writer w = Files.newBufferedWriter(options.dataDir().resolve(STATE_FILE))) {
      state.store(w, "local stack processes; written by LocalStack, read by attach and down");
    }
  }

  /** Reads a state file this stack or the CLI wrote. */
  public static Properties readProperties(Path file) {
    var props = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      props.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props;
  }

  /** Deletes a directory and everything in it, never following links; failures are logged. */
  public static void deleteRecursively(Path dir) {
    try {
      if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        org.apache.commons.io.file.PathUtils.deleteDirectory(dir);
      }
    } catch (IOException e) {
      LOG.debugf("could not delete all of %s: %s", dir, e.getMessage());
    }
  }
}
