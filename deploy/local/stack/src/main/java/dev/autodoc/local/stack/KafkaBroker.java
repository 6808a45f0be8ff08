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

  static ManagedProcess start(ServerRuntime runtime, Path dir, int port, int controllerPort)
      throws IOException {
    Path logs = dir.resolve("data");
    Path config = dir.resolve("server.properties");
    Files.createDirectories(dir);
    Files.writeString(config, serverProperties(logs, port, controllerPort));
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(log4j, LOG4J);
    String java = ServerRuntime.javaLauncher();
    List<String> jvm =
        List.of(
            java,
            "-Xms64m",
            "-Xmx512m",
            "-XX:+UseSerialGC",
            // The client compiler only: a local broker gains nothing from C2 worth its CPU at
            // start.
            "-XX:TieredStopAtLevel=1",
            "-Dlog4j2.configurationFile=" + log4j,
            "-cp",
            runtime.kafkaClasspath());
    if (!Files.exists(logs.resolve("meta.properties"))) {
      var format = new ArrayList<>(jvm);
      // The storage tool is a JVM of its own on every new data directory: it gets its own archive.
      format.addAll(
          ClassDataSharing.options(
              "kafka-format", ClassDataSharing.classPath(runtime.kafkaClasspath())));
      format.addAll(
          List.of(
              "kafka.tools.StorageTool",
              "format",
              "-t",
              Uuid.randomUuid().toString(),
              "-c",
              config.toString()));
      ManagedProcess.runToCompletion(
          "formatting Kafka storage",
          format,
          dir,
          dir.resolve("format.log"),
          Duration.ofSeconds(60));
    }
    var server = new ArrayList<>(jvm);
    // The broker's own archive (not the storage tool's, whose classes differ): options may
    // follow the classpath, as long as they come before the main class.
    server.addAll(
        ClassDataSharing.options("kafka", ClassDataSharing.classPath(runtime.kafkaClasspath())));
    server.addAll(List.of("kafka.Kafka", config.toString()));
    return ManagedProcess.start(
        "kafka", server, Map.of(), dir, dir.resolve("kafka.log"), ManagedProcess.StopSignal.TERM);
  }

  static void awaitReady(ManagedProcess broker, String bootstrap) {
    broker.awaitReady(
        Duration.ofSeconds(90),
        () -> {
          try (Admin admin = admin(bootstrap)) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
          }
        });
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
