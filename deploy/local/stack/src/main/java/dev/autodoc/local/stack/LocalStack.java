package dev.autodoc.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The embedded infrastructure of Autodoc on one machine: a KRaft Kafka broker, PostgreSQL and an
 * S3-compatible server, each its own process on random loopback ports, stopped by PID.
 *
 * <p>A stack either stops with its owner ({@link #close()}, or the JVM's shutdown hook when a test
 * fails hard) or is left running ({@link #detach()}); a stack left running is found again through
 * the state file in its data directory ({@link #resume}) and stopped with {@link #down}. The data
 * directory is locked ({@link DataDirLock}) while a stack starts, resumes or is owned, and a server
 * whose recorded process is alive is never started a second time: resuming starts only the servers
 * that died, on the ports and with the data they had.
 */
public final class LocalStack implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalStack.class);
  static final String STATE_FILE = "stack.properties";

  private final LocalStackOptions options;
  private final List<ManagedProcess> processes;
  private final StackEndpoints endpoints;
  private final Thread shutdownHook;
  private volatile boolean owned;
  private volatile DataDirLock lock;
  private Map<String, Long> readyMillis = Map.of();
  private CompletableFuture<Void> background = CompletableFuture.completedFuture(null);
  private CompletableFuture<Void> broker = CompletableFuture.completedFuture(null);

  private LocalStack(
      LocalStackOptions options,
      List<ManagedProcess> processes,
      StackEndpoints endpoints,
      DataDirLock lock) {
    this.options = options;
    this.processes = new ArrayList<>(processes);
    this.endpoints = endpoints;
    this.lock = lock;
    this.owned = lock != null;
    this.shutdownHook = owned ? new Thread(this::stopQuietly, "local-stack-shutdown") : null;
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /**
   * Starts the three servers in parallel on new ports and waits until each answers; fails when
   * another command holds the data directory or a stack recorded there still runs.
   */
  public static LocalStack start(LocalStackOptions options) {
    LocalStack stack = start(options, false);
    try {
      stack.awaitBroker();
      stack.awaitBackground();
    } catch (RuntimeException e) {
      stack.close();
      throw new IllegalStateException("the local stack did not start: " + e.getMessage(), e);
    }
    return stack;
  }

  /**
   * Starts the three servers as {@link #start(LocalStackOptions)} does, or, when {@code yielding},
   * returns as soon as they run and PostgreSQL answers: what needs the database can start while the
   * broker starts ({@link #awaitBroker()} waits for it and its topics), and the S3 server runs at a
   * lower CPU priority ({@link #awaitBackground()} waits for it).
   */
  public static LocalStack start(LocalStackOptions options, boolean yielding) {
    long started = System.nanoTime();
    Path dir = options.dataDir();
    DataDirLock lock = DataDirLock.acquire(dir);
    var starts = new ServerStarts();
    try {
      if (recorded(dir).stream().anyMatch(Optional::isPresent)) {
        throw new IllegalStateException(
            "servers of a stack recorded in " + dir + " still run: resume it, or stop it first");
      }
      var endpoints = ServerStarts.newEndpoints(options);
      starts.launchAll(ServerRuntime.load(), options, endpoints, yielding);

      var stack = new LocalStack(options, starts.processes(), endpoints, lock);
      stack.writeState();
      stack.readyMillis = starts.readyMillis;
      stack.background = starts.background;
      stack.broker = starts.broker;
      LOG.infof(
          "local stack started in %d ms %s: Kafka %s, PostgreSQL %s, S3 %s (data in %s)",
          (System.nanoTime() - started) / 1_000_000,
          starts.readyMillis,
          endpoints.kafkaBootstrapServers(),
          endpoints.jdbcUrl(),
          endpoints.s3Endpoint(),
          dir);
      return stack;
    } catch (RuntimeException e) {
      stopAll(starts.processes());
      lock.close();
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

  /**
   * How long each server took to answer after its start, and the topics to be made, in ms; empty
   * for a resumed stack.
   */
  public Map<String, Long> readyMillis() {
    return Map.copyOf(readyMillis);
  }

  /**
   * Waits until the broker answers and has its topics; at once when it was awaited at the start.
   *
   * @throws IllegalStateException saying why, when it did not start
   */
  public void awaitBroker() {
    await(broker, "Kafka");
  }

  /**
   * Waits until a server started in the background answers; at once when none was.
   *
   * @throws IllegalStateException naming the server and why, when it did not start
   */
  public void awaitBackground() {
    await(background, "the S3 server");
  }

  private static void await(CompletableFuture<Void> started, String server) {
    try {
      started.join();
    } catch (java.util.concurrent.CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException(server + " did not start: " + cause.getMessage(), cause);
    }
  }

  /**
   * The stack an earlier command left running in {@code dataDir}, with every server that died
   * started again on its port and with its data; empty when none was left running, or when all of
   * its servers are gone (then a new one starts on new ports). The resumed stack stays running
   * after this process: it is not owned.
   */
  public static Optional<LocalStack> resume(Path dataDir, Consumer<String> progress) {
    try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
      Path file = dataDir.resolve(STATE_FILE);
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      Properties state = StateFiles.read(file);
      List<Optional<ManagedProcess>> recorded = ManagedProcess.recorded(state);
      if (recorded.stream().noneMatch(Optional::isPresent)) {
        Files.deleteIfExists(file);
        return Optional.empty();
      }
      var options = LocalStackOptions.persistent(dataDir);
      var endpoints = endpoints(state);
      List<ManagedProcess> processes = new ArrayList<>();
      List<String> names = ManagedProcess.recordedNames(state);
      for (int i = 0; i < names.size(); i++) {
        if (recorded.get(i).isPresent()) {
          processes.add(recorded.get(i).get());
          continue;
        }
        Server server =
            Server.named(names.get(i))
                .orElseThrow(() -> new IllegalStateException("unknown server in " + file));
        progress.accept(server.processName() + " had stopped; starting it again");
        processes.add(server.start(ServerRuntime.load(), options, endpoints));
      }
      var stack = new LocalStack(options, processes, endpoints, null);
      stack.writeState();
      return Optional.of(stack);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each server recorded in {@code dataDir}, alive or not, by name; empty when none is. */
  public static List<Status> status(Path dataDir) {
    Path file = dataDir.resolve(STATE_FILE);
    return Files.exists(file) ? Status.of(StateFiles.read(file)) : List.of();
  }

  /** A recorded process and whether it still runs. */
  public record Status(String name, long pid, Path log, boolean alive) {
    /** Every process a state file records. */
    public static List<Status> of(Properties state) {
      List<String> names = ManagedProcess.recordedNames(state);
      List<Optional<ManagedProcess>> recorded = ManagedProcess.recorded(state);
      List<Status> all = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        all.add(
            new Status(
                name,
                Long.parseLong(state.getProperty(name + ".pid")),
                Path.of(state.getProperty(name + ".log")),
                recorded.get(i).isPresent()));
      }
      return all;
    }
  }

  /** Stops every server still running of the stack recorded in {@code dataDir}, by PID. */
  public static boolean down(Path dataDir) {
    List<ManagedProcess> alive = recorded(dataDir).stream().flatMap(Optional::stream).toList();
    stopAll(alive);
    try {
      Files.deleteIfExists(dataDir.resolve(STATE_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return !alive.isEmpty();
  }

  private static List<Optional<ManagedProcess>> recorded(Path dataDir) {
    Path file = dataDir.resolve(STATE_FILE);
    return Files.exists(file) ? ManagedProcess.recorded(StateFiles.read(file)) : List.of();
  }

  private static StackEndpoints endpoints(Properties state) {
    return new StackEndpoints(
        state.getProperty("kafka.bootstrap"),
        state.getProperty("postgres.host"),
        Integer.parseInt(state.getProperty("postgres.port")),
        state.getProperty("postgres.database"),
        state.getProperty("postgres.user"),
        state.getProperty("postgres.password"),
        state.getProperty("s3.endpoint"),
        state.getProperty("s3.bucket"));
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
    processes.set(processes.indexOf(old), server.start(ServerRuntime.load(), options, endpoints));
    writeState();
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
    releaseLock();
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
    releaseLock();
    if (options.ephemeral()) {
      deleteRecursively(options.dataDir());
    }
  }

  private void releaseLock() {
    DataDirLock held = lock;
    lock = null;
    if (held != null) {
      held.close();
    }
  }

  /** Stops the processes at once, each by its own PID: their graceful shutdowns overlap. */
  public static void stopAll(List<ManagedProcess> processes) {
    CompletableFuture.allOf(
            processes.stream()
                .map(
                    p ->
                        CompletableFuture.runAsync(
                            () -> stopQuietly(p), ManagedProcess.OWN_THREADS))
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

  private void writeState() {
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
    StateFiles.write(
        options.dataDir().resolve(STATE_FILE),
        state,
        "local stack processes; written by LocalStack, read by resume, status and down");
  }

  /** Reads a state file this stack or the CLI wrote. */
  public static Properties readProperties(Path file) {
    return StateFiles.read(file);
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
