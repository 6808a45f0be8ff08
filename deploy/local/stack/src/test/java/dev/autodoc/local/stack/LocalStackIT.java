package dev.autodoc.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodoc.common.messaging.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class LocalStackIT {

  @Test
  void startsRealServersThatWorkAndStopsThemByPidLeavingNothingBehind() throws Exception {
    Path dir = newDir("stack-it-");
    List<ManagedProcess> processes;
    try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(dir))) {
      processes = stack.processes();
      assertThat(processes)
          .extracting(ManagedProcess::name)
          .containsExactlyInAnyOrder("kafka", "s3", "postgres");
      StackEndpoints endpoints = stack.endpoints();

      // Kafka: every Autodoc topic exists with its partitions, and a record goes round trip.
      try (Admin admin =
          Admin.create(java.util.Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
        var topics = admin.describeTopics(Topics.all()).allTopicNames().get(10, TimeUnit.SECONDS);
        assertThat(topics.get(Topics.SCOPE_REQUESTED).partitions())
            .hasSize(LocalStackOptions.DEFAULT_SCOPE_PARTITIONS);
        assertThat(topics.keySet()).contains(Topics.deadLetter(Topics.SCOPE_COMPLETED));
      }
      assertThat(roundTrip(endpoints.kafkaBootstrapServers())).isEqualTo("hello");

      // PostgreSQL: the autodoc database accepts writes.
      try (var c =
          DriverManager.getConnection(
              endpoints.jdbcUrl(), endpoints.postgresUser(), endpoints.postgresPassword())) {
        c.createStatement().execute("create table probe (v text)");
        c.createStatement().execute("insert into probe values ('x')");
        try (var rs = c.createStatement().executeQuery("select count(*) from probe")) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
      }

      // S3: the sessions bucket exists.
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(endpoints.s3Endpoint() + "/")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).contains(S3Server.BUCKET);

      // A second command cannot start servers on this directory while the stack runs.
      assertThatThrownBy(() -> LocalStack.start(LocalStackOptions.forTests(dir)))
          .hasMessageContaining("is in use by another Autodoc command (PID ")
          .hasMessageContaining(Long.toString(ProcessHandle.current().pid()));
      assertThat(LocalStack.status(dir))
          .extracting(LocalStack.Status::alive)
          .containsExactly(true, true, true);
    }
    assertThat(processes)
        .allSatisfy(
            p ->
                assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive))
                    .isNotEqualTo(java.util.Optional.of(true)));
    assertThat(dir).doesNotExist();
  }

  @Test
  void aKeptDataDirectoryStartsAgainOnNewPortsWithItsData() throws Exception {
    Path dir = newDir("stack-persist-");
    var options =
        new LocalStackOptions(
            dir,
            false,
            LocalStackOptions.defaultCacheDir(),
            false,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            LocalStackOptions.defaultPartitions(2));
    try {
      StackEndpoints first;
      try (LocalStack stack = LocalStack.start(options)) {
        first = stack.endpoints();
        try (var c = DriverManager.getConnection(first.jdbcUrl(), first.postgresUser(), "")) {
          c.createStatement()
              .execute("create table kept (v text); insert into kept values ('still here')");
        }
        produce(first.kafkaBootstrapServers(), "kept-record");
      }
      try (LocalStack again = LocalStack.start(options)) {
        StackEndpoints second = again.endpoints();
        try (var c = DriverManager.getConnection(second.jdbcUrl(), second.postgresUser(), "");
            var rs = c.createStatement().executeQuery("select v from kept")) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo("still here");
        }
        assertThat(consumeFirst(second.kafkaBootstrapServers())).isEqualTo("kept-record");
      }
    } finally {
      LocalStack.deleteRecursively(dir);
    }
  }

  @Test
  void aStackLeftRunningIsResumedStartingOnlyTheServerThatDiedOnItsPortWithItsData()
      throws Exception {
    Path dir = newDir("stack-resume-");
    try {
      LocalStack stack = LocalStack.start(LocalStackOptions.persistent(dir));
      StackEndpoints endpoints = stack.endpoints();
      try (var c = DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.postgresUser(), "")) {
        c.createStatement()
            .execute("create table kept (v text); insert into kept values ('still here')");
      }
      stack.detach();
      long kafka = pid(stack, "kafka");
      long s3 = pid(stack, "s3");
      stack.kill(Server.POSTGRES);
      assertThat(LocalStack.status(dir))
          .extracting(st -> st.name() + "=" + st.alive())
          .containsExactlyInAnyOrder("kafka=true", "s3=true", "postgres=false");

      List<String> said = new java.util.ArrayList<>();
      LocalStack resumed = LocalStack.resume(dir, said::add).orElseThrow();
      assertThat(said).containsExactly("postgres had stopped; starting it again");
      assertThat(resumed.endpoints()).isEqualTo(endpoints);
      assertThat(pid(resumed, "kafka")).isEqualTo(kafka);
      assertThat(pid(resumed, "s3")).isEqualTo(s3);
      try (var c = DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.postgresUser(), "");
          var rs = c.createStatement().executeQuery("select v from kept")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("still here");
      }
      // Nothing runs twice: one broker on the data directory, as before.
      assertThat(LocalStack.status(dir)).extracting(LocalStack.Status::alive).containsOnly(true);
      assertThat(LocalStack.down(dir)).isTrue();
      assertThat(LocalStack.status(dir)).isEmpty();
    } finally {
      LocalStack.down(dir);
      LocalStack.deleteRecursively(dir);
    }
  }

  @Test
  void aStartForJobsReturnsOnceTheDatabaseAnswersAndMakesTheTopicsWhenTheBrokerDoes()
      throws Exception {
    Path dir = newDir("stack-it-jobs-");
    LocalStackOptions options = LocalStackOptions.forTests(dir);
    try (LocalStack stack = LocalStack.start(options, true)) {
      StackEndpoints endpoints = stack.endpoints();
      try (var c =
          DriverManager.getConnection(
              endpoints.jdbcUrl(), endpoints.postgresUser(), endpoints.postgresPassword())) {
        assertThat(c.isValid(5)).isTrue();
      }
      stack.awaitBroker();
      try (Admin admin =
          Admin.create(java.util.Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
        assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
            .containsAll(options.partitions().keySet());
      }
      assertThat(roundTrip(endpoints.kafkaBootstrapServers())).isEqualTo("hello");
      if (options.externalKafka().isEmpty()) {
        // A new data directory's storage is a copy of the one formatted in the cache: the storage
        // tool, a JVM of its own, did not run for it.
        Path template =
            options
                .cacheDir()
                .resolve("kafka-" + ServerRuntime.load().kafkaVersion() + "-storage")
                .resolve("meta.properties");
        assertThat(dir.resolve("kafka/data/meta.properties")).hasSameTextualContentAs(template);
      }
      stack.awaitBackground();
    }
    assertThat(dir).doesNotExist();
  }

  private static Path newDir(String prefix) throws java.io.IOException {
    return Files.createTempDirectory(
        Path.of(System.getProperty("autodoc.build.dir", "/tmp")), prefix);
  }

  private static long pid(LocalStack stack, String name) {
    return stack.processes().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow()
        .pid();
  }

  private static String roundTrip(String bootstrap) {
    produce(bootstrap, "hello");
    return consumeFirst(bootstrap);
  }

  private static void produce(String bootstrap, String value) {
    var props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer
          .send(new ProducerRecord<>(Topics.JOB_PROGRESS, "k", value))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String consumeFirst(String bootstrap) {
    var props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.JOB_PROGRESS));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          return record.value();
        }
      }
      throw new AssertionError("no record within 30s");
    }
  }
}
