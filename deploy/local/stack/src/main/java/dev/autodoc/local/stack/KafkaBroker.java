package dev.autodoc.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node KRaft Kafka broker (broker and controller in one process) from the jars Maven
 * resolved. The controller quorum is configured statically, so a kept data directory starts again
 * on new ports.
 */
public final class KafkaBroker {
  private KafkaBroker() {}

  static ManagedProcess start(
      ServerRuntime runtime, Path cacheDir, Path dir, int port, int controllerPort)
      throws IOException {
    Path logs = dir.resolve("data");
    Path config = dir.resolve("server.properties");
    Files.createDirectories(dir);
    Files.writeString(config, serverProperties(logs, port, controllerPort));
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(log4j, LOG4J);
    if (!Files.exists(logs.resolve("meta.properties"))) {
      // A new data directory is a copy of storage the storage tool formatted once per Kafka
      // version: the tool is a JVM of its own, 0.8 s and a processor-second on every cold start.
      Archives.copyTree(formatted(runtime, cacheDir, log4j), logs);
    }
    var server = new ArrayList<>(jvm(runtime, log4j));
    // Options may follow the classpath, as long as they come before the main class.
    server.addAll(
        ClassDataSharing.options("kafka", ClassDataSharing.classPath(runtime.kafkaClasspath())));
    server.addAll(List.of("kafka.Kafka", config.toString()));
    return ManagedProcess.start(
        "kafka", server, Map.of(), dir, dir.resolve("kafka.log"), ManagedProcess.StopSignal.TERM);
  }

  private static List<String> jvm(ServerRuntime runtime, Path log4j) {
    return List.of(
        ServerRuntime.javaLauncher(),
        "-Xms64m",
        "-Xmx512m",
        "-XX:+UseSerialGC",
        // The client compiler only: a local broker gains nothing from C2 worth its CPU at start.
        "-XX:TieredStopAtLevel=1",
        "-Dlog4j2.configurationFile=" + log4j,
        "-cp",
        runtime.kafkaClasspath());
  }

  /**
   * Storage the storage tool formatted, never started: the template of every new data directory.
   * Nothing in it depends on a port or a path: the controller quorum is static, so the tool records
   * no voters, only the cluster's and the directory's ids and the bootstrap feature levels. Every
   * local broker shares those ids; each is a cluster of its own that no other one ever meets.
   */
  private static Path formatted(ServerRuntime runtime, Path cacheDir, Path log4j)
      throws IOException {
    return Archives.once(
        cacheDir.resolve("kafka-" + runtime.kafkaVersion() + "-storage"),
        "meta.properties",
        temp -> {
          Path config = Files.createTempFile("autodoc-kafka-format-", ".properties");
          Path log = Files.createTempFile("autodoc-kafka-format-", ".log");
          try {
            Files.writeString(config, serverProperties(temp, Ports.free(), Ports.free()));
            var format = new ArrayList<>(jvm(runtime, log4j));
            format.addAll(
                List.of(
                    "kafka.tools.StorageTool",
                    "format",
                    "-t",
                    Uuid.randomUuid().toString(),
                    "-c",
                    config.toString()));
            ManagedProcess.runToCompletion(
                "formatting Kafka storage", format, temp.getParent(), log, Duration.ofSeconds(60));
          } finally {
            Files.deleteIfExists(config);
            Files.deleteIfExists(log);
          }
        });
  }

  /**
   * Waits until the broker answers. One admin client polls, reconnecting at once: a new client per
   * poll, backing off up to a second, saw the broker a second late on every cold start.
   */
  static void awaitReady(ManagedProcess broker, String bootstrap) {
    try (Admin admin = admin(bootstrap)) {
      broker.awaitReady(
          Duration.ofSeconds(90),
          () -> !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty());
    }
  }

  /** Creates the topics that do not exist yet, with the given partition counts. */
  static void createTopics(String bootstrap, Map<String, Integer> partitions) {
    try (Admin admin = admin(bootstrap)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing =
          partitions.entrySet().stream()
              .filter(e -> !existing.contains(e.getKey()))
              .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
              .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
    }
  }

  private static Admin admin(String bootstrap) {
    var props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 100);
    props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50);
    props.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 100);
    return withOwnClassLoader(() -> Admin.create(props));
  }

  /**
   * Kafka creates configured classes (metric reporters, serializers) through the thread's context
   * class loader. Under a restarted Quarkus test that loader is not the one that loaded the Kafka
   * client, and the classes would not match; ours is.
   */
  public static <T> T withOwnClassLoader(java.util.function.Supplier<T> create) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(KafkaBroker.class.getClassLoader());
    try {
      return create.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static String serverProperties(Path logs, int port, int controllerPort) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + logs,
        // One node: every internal topic has one replica.
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=10",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // Topics are created with their configured partition counts, never by accident.
        "auto.create.topics.enable=false",
        "log.retention.hours=168",
        "");
  }

  private static final String LOG4J =
      String.join(
          "\n",
          "rootLogger.level=WARN",
          "rootLogger.appenderRef.stdout.ref=STDOUT",
          "appender.stdout.type=Console",
          "appender.stdout.name=STDOUT",
          "appender.stdout.layout.type=PatternLayout",
          "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
          "logger.kafka.name=kafka",
          "logger.kafka.level=INFO",
          "");
}
