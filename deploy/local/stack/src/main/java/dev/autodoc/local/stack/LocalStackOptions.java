package dev.autodoc.local.stack;

import dev.autodoc.common.messaging.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a local stack.
 *
 * @param dataDir where the servers keep their state
 * @param ephemeral delete {@code dataDir} when the stack stops (tests); otherwise keep it (CLI)
 * @param cacheDir where the PostgreSQL binaries are unpacked once per version
 * @param durable whether PostgreSQL syncs to disk; tests trade durability for speed
 * @param externalPostgres an existing PostgreSQL server to use instead of starting one
 * @param externalKafka bootstrap servers of an existing Kafka to use instead of starting a broker
 * @param partitions partition count of each topic
 */
public record LocalStackOptions(
    Path dataDir,
    boolean ephemeral,
    Path cacheDir,
    boolean durable,
    Optional<ExternalPostgres> externalPostgres,
    Optional<String> externalKafka,
    Map<String, Integer> partitions) {

  /**
   * An existing server named by configuration: {@code AUTODOC_POSTGRES_URL} (JDBC URL), user,
   * password.
   */
  public record ExternalPostgres(
      String host, int port, String database, String user, String password) {}

  public static final int DEFAULT_SCOPE_PARTITIONS = 8;

  public LocalStackOptions {
    partitions = Map.copyOf(partitions);
  }

  public static LocalStackOptions forTests(Path dataDir) {
    return new LocalStackOptions(
        dataDir,
        true,
        defaultCacheDir(),
        false,
        externalPostgresFromEnvironment(),
        externalKafkaFromEnvironment(),
        defaultPartitions(DEFAULT_SCOPE_PARTITIONS));
  }

  public static LocalStackOptions persistent(Path dataDir) {
    return new LocalStackOptions(
        dataDir,
        false,
        defaultCacheDir(),
        true,
        externalPostgresFromEnvironment(),
        externalKafkaFromEnvironment(),
        defaultPartitions(DEFAULT_SCOPE_PARTITIONS));
  }

  /**
   * Scope requests get {@code scopePartitions} (they bound worker parallelism); the rest get 3,
   * dead letters 1.
   */
  public static Map<String, Integer> defaultPartitions(int scopePartitions) {
    var map = new LinkedHashMap<String, Integer>();
    for (String topic : Topics.EVENT_TOPICS) {
      map.put(topic, topic.equals(Topics.SCOPE_REQUESTED) ? scopePartitions : 3);
      map.put(Topics.deadLetter(topic), 1);
    }
    return map;
  }

  /**
   * {@code AUTODOC_CACHE_DIR}, else {@code ~/.cache/autodoc}; as root {@code /var/cache/autodoc},
   * because the unprivileged PostgreSQL checks its own binaries with {@code access()}, which
   * ignores capabilities and so cannot see into a private home.
   */
  public static Path defaultCacheDir() {
    String env = System.getenv("AUTODOC_CACHE_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return PostgresServer.isRoot()
        ? Path.of("/var/cache/autodoc")
        : Path.of(System.getProperty("user.home"), ".cache", "autodoc");
  }

  /** The same options with servers that already run, in place of starting them. */
  public LocalStackOptions withExternal(ExternalPostgres postgres, String kafkaBootstrap) {
    return new LocalStackOptions(
        dataDir,
        ephemeral,
        cacheDir,
        durable,
        Optional.of(postgres),
        Optional.of(kafkaBootstrap),
        partitions);
  }

  /** {@code AUTODOC_KAFKA_BOOTSTRAP}: an existing Kafka to use instead of starting a broker. */
  static Optional<String> externalKafkaFromEnvironment() {
    return Optional.ofNullable(System.getenv("AUTODOC_KAFKA_BOOTSTRAP")).filter(s -> !s.isBlank());
  }

  static Optional<ExternalPostgres> externalPostgresFromEnvironment() {
    String url = System.getenv("AUTODOC_POSTGRES_URL");
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    var matcher =
        java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*")
            .matcher(url);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "AUTODOC_POSTGRES_URL must look like jdbc:postgresql://host:port/database, was " + url);
    }
    return Optional.of(
        new ExternalPostgres(
            matcher.group(1),
            matcher.group(2) == null ? 5432 : Integer.parseInt(matcher.group(2)),
            matcher.group(3),
            Optional.ofNullable(System.getenv("AUTODOC_POSTGRES_USER")).orElse("postgres"),
            Optional.ofNullable(System.getenv("AUTODOC_POSTGRES_PASSWORD")).orElse("")));
  }
}
