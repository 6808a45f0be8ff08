package dev.autodoc.local.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The servers of a new stack, started in parallel, each launch and each readiness wait on a thread
 * of its own ({@link ManagedProcess#OWN_THREADS}). Every process is recorded as soon as it runs, so
 * that a failure of another server stops it too.
 */
final class ServerStarts {
  private final List<ManagedProcess> processes = new ArrayList<>();

  /** How long each server took to answer after its start, in ms. */
  final Map<String, Long> readyMillis = new ConcurrentSkipListMap<>();

  /** The server started in the background answering; done when there is none. */
  CompletableFuture<Void> background = CompletableFuture.completedFuture(null);

  /** The broker answering with its topics made. */
  CompletableFuture<Void> broker = CompletableFuture.completedFuture(null);

  /** New loopback ports for the servers this stack starts; the external ones as configured. */
  static StackEndpoints newEndpoints(LocalStackOptions options) {
    var pg =
        options
            .externalPostgres()
            .orElse(
                new LocalStackOptions.ExternalPostgres(
                    "127.0.0.1",
                    Ports.free(),
                    PostgresServer.DATABASE,
                    PostgresServer.USER,
                    "autodoc"));
    return new StackEndpoints(
        options.externalKafka().orElse("127.0.0.1:" + Ports.free()),
        pg.host(),
        pg.port(),
        pg.database(),
        pg.user(),
        pg.password(),
        "http://127.0.0.1:" + Ports.free(),
        S3Server.BUCKET);
  }

  /**
   * Starts the servers not configured as external and makes the topics, and returns once all run
   * and all answer; when {@code yielding}, once PostgreSQL answers: the S3 server then starts in
   * the background ({@link #background}) and the broker is awaited later ({@link #broker}).
   */
  void launchAll(
      ServerRuntime runtime,
      LocalStackOptions options,
      StackEndpoints endpoints,
      boolean yielding) {
    List<Server> ours = new ArrayList<>(List.of(Server.S3));
    options.externalKafka().ifPresentOrElse(k -> {}, () -> ours.add(Server.KAFKA));
    options.externalPostgres().ifPresentOrElse(p -> {}, () -> ours.add(Server.POSTGRES));
    List<CompletableFuture<?>> launched = new ArrayList<>();
    List<CompletableFuture<?>> ready = new ArrayList<>();
    for (Server server : ours) {
      boolean inBackground = yielding && server == Server.S3;
      long t = System.nanoTime();
      CompletableFuture<ManagedProcess> running =
          CompletableFuture.supplyAsync(
              () -> {
                ManagedProcess process = server.launch(runtime, options, endpoints, inBackground);
                synchronized (processes) {
                  processes.add(process);
                }
                return process;
              },
              ManagedProcess.OWN_THREADS);
      CompletableFuture<Void> answered =
          running.thenAcceptAsync(
              process -> {
                server.awaitReady(process, endpoints);
                readyMillis.put(server.processName(), (System.nanoTime() - t) / 1_000_000);
              },
              ManagedProcess.OWN_THREADS);
      launched.add(running);
      if (inBackground) {
        background = answered;
      } else if (server == Server.KAFKA) {
        broker = answered;
      } else {
        ready.add(answered);
      }
    }
    broker =
        broker.thenRunAsync(
            () -> {
              long topics = System.nanoTime();
              KafkaBroker.createTopics(endpoints.kafkaBootstrapServers(), options.partitions());
              readyMillis.put("topics", (System.nanoTime() - topics) / 1_000_000);
            },
            ManagedProcess.OWN_THREADS);
    if (!yielding) {
      ready.add(broker);
    }
    // Every process runs, and is recorded to be stopped on failure, before anything is awaited.
    CompletableFuture.allOf(launched.toArray(CompletableFuture[]::new)).join();
    CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
  }

  /** The processes started so far. */
  List<ManagedProcess> processes() {
    synchronized (processes) {
      return List.copyOf(processes);
    }
  }
}
