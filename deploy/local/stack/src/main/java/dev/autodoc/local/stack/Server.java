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
    try {
      return switch (this) {
        case S3 -> {
          var s3 =
              S3Server.start(
                  runtime,
                  options.dataDir().resolve("s3"),
                  URI.create(endpoints.s3Endpoint()).getPort(),
                  Ports.free());
          S3Server.awaitReady(s3, endpoints.s3Endpoint());
          yield s3;
        }
        case KAFKA -> {
          String bootstrap = endpoints.kafkaBootstrapServers();
          int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
          var kafka =
              KafkaBroker.start(runtime, options.dataDir().resolve("kafka"), port, Ports.free());
          KafkaBroker.awaitReady(kafka, bootstrap);
          yield kafka;
        }
        case POSTGRES -> {
          var postgres =
              PostgresServer.start(
                  runtime,
                  options.cacheDir(),
                  options.dataDir().resolve("postgres"),
                  endpoints.postgresPort(),
                  options.durable());
          PostgresServer.awaitReady(postgres, endpoints.postgresPort());
          yield postgres;
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + processName, e);
    }
  }
}
