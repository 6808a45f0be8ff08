package dev.autodoc.local.stack;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Kafka and PostgreSQL as Testcontainers, for machines with a Docker engine: the tests then run on
 * them in place of the broker and database processes. The S3 server stays a local process.
 */
final class ContainerServers implements AutoCloseable {
  /** Image versions close to the local stack's own servers. */
  static final String KAFKA_IMAGE = "apache/kafka:4.1.0";

  static final String POSTGRES_IMAGE = "postgres:18-alpine";

  private final KafkaContainer kafka;
  private final PostgreSQLContainer postgres;

  private ContainerServers(KafkaContainer kafka, PostgreSQLContainer postgres) {
    this.kafka = kafka;
    this.postgres = postgres;
  }

  static ContainerServers start() {
    var kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
    var postgres =
        new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
            .withDatabaseName(PostgresServer.DATABASE)
            .withUsername(PostgresServer.USER)
            .withPassword("autodoc");
    try {
      kafka.start();
      postgres.start();
    } catch (RuntimeException e) {
      kafka.stop();
      postgres.stop();
      throw new IllegalStateException(
          "Testcontainers could not start Kafka and PostgreSQL (is a Docker engine running?): "
              + e.getMessage(),
          e);
    }
    return new ContainerServers(kafka, postgres);
  }

  LocalStackOptions applyTo(LocalStackOptions options) {
    return options.withExternal(
        new LocalStackOptions.ExternalPostgres(
            postgres.getHost(),
            postgres.getMappedPort(5432),
            PostgresServer.DATABASE,
            PostgresServer.USER,
            "autodoc"),
        kafka.getBootstrapServers());
  }

  @Override
  public void close() {
    kafka.stop();
    postgres.stop();
  }
}
