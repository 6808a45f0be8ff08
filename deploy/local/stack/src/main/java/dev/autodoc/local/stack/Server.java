package dev.autodoc.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/** The servers of a local stack, each started on its port with the data it keeps. */
public enum Server {
  KAFKA("kafka"),
  POSTGRES("postgres"),
  S3("s3");

  private final String processName;

  Server(String processName) {
    this.processName = processName;
  }

  /** The name its process carries in state files and logs. */
  public String processName() {
    return processName;
  }

  static Optional<Server> named(String processName) {
    return Arrays.stream(values()).filter(s -> s.processName.equals(processName)).findFirst();
  }

  /**
   * Starts this server on the port {@code endpoints} give it, with its data under the options' data
   * directory, and waits until it answers.
   */
  ManagedProcess start(ServerRuntime runtime, LocalStackOptions options, StackEndpoints endpoints) {
    ManagedProcess process = launch(runtime, options, endpoints, false);
    awaitReady(process, endpoints);
    return process;
  }

  /**
   * Starts this server's process without waiting for it to answer. A server in the {@code
   * background} runs at a lower CPU priority: nothing a job waits for needs it (only the reconciler
   * uses S3), so on a small machine it starts while the broker and the database get the processors
   * first.
   */
  ManagedProcess launch(
      ServerRuntime runtime,
      LocalStackOptions options,
      StackEndpoints endpoints,
      boolean background) {
    try {
      return switch (this) {
        case S3 ->
            S3Server.start(
                runtime,
                options.dataDir().resolve("s3"),
                URI.create(endpoints.s3Endpoint()).getPort(),
                Ports.free(),
                background);
        case KAFKA -> {
          String bootstrap = endpoints.kafkaBootstrapServers();
          int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
          yield KafkaBroker.start(
              runtime, options.cacheDir(), options.dataDir().resolve("kafka"), port, Ports.free());
        }
        case POSTGRES ->
            PostgresServer.start(
                runtime,
                options.cacheDir(),
                options.dataDir().resolve("postgres"),
                endpoints.postgresPort(),
                options.durable());
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + processName, e);
    }
  }

  /** Waits until a process {@link #launch} started answers as this server. */
  void awaitReady(ManagedProcess process, StackEndpoints endpoints) {
    switch (this) {
      case S3 -> S3Server.awaitReady(process, endpoints.s3Endpoint());
      case KAFKA -> KafkaBroker.awaitReady(process, endpoints.kafkaBootstrapServers());
      case POSTGRES -> PostgresServer.awaitReady(process, endpoints.postgresPort());
    }
  }
}
