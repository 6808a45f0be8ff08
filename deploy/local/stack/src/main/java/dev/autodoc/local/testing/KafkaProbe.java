package dev.autodoc.local.testing;

import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.CloudEventHeaders;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.local.stack.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads and writes raw records, as an outside producer or consumer would: a plain Kafka client with
 * its own consumer group, reading every topic from the beginning.
 */
public final class KafkaProbe implements AutoCloseable {
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

  private final Properties producerConfig = new Properties();
  private final Properties consumerConfig = new Properties();

  public KafkaProbe(String bootstrap, List<String> topics) {
    var p = producerConfig;
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer =
        KafkaBroker.withOwnClassLoader(
            () -> new KafkaProducer<>(p, new StringSerializer(), new StringSerializer()));
    var c = consumerConfig;
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer =
        KafkaBroker.withOwnClassLoader(
            () -> new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer()));
    consumer.subscribe(topics);
  }

  /** Sends an event as the services' relays do: its topic, key, JSON and CloudEvents headers. */
  public void publish(AutodocEvent event) {
    send(
        event.type().topic(),
        event.key(),
        EventCodec.encode(event),
        CloudEventHeaders.of(event, "/tests"));
  }

  public void send(String topic, String key, String value, Map<String, String> headers) {
    var record = new ProducerRecord<>(topic, key, value);
    headers.forEach(
        (k, v) -> record.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not send to " + topic, e);
    }
  }

  /** Every record seen so far that matches, after polling for {@code wait}. */
  public List<ConsumerRecord<String, String>> records(
      Predicate<ConsumerRecord<String, String>> filter, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    do {
      consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
    } while (System.nanoTime() < deadline);
    return seen.stream().filter(filter).toList();
  }

  /** Polls until {@code count} matching records were seen, or fails after {@code timeout}. */
  public List<ConsumerRecord<String, String>> await(
      Predicate<ConsumerRecord<String, String>> filter, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
      List<ConsumerRecord<String, String>> matching = seen.stream().filter(filter).toList();
      if (matching.size() >= count) {
        return matching;
      }
    }
    throw new AssertionError(
        "saw "
            + seen.stream().filter(filter).count()
            + " of "
            + count
            + " expected records within "
            + timeout);
  }

  /** Sends bytes as they are, to prove they come back as they were (dead letters). */
  public void sendRaw(String topic, byte[] key, byte[] value) {
    var p = new Properties();
    p.putAll(producerConfig);
    try (var raw =
        KafkaBroker.withOwnClassLoader(
            () -> new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()))) {
      raw.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not send to " + topic, e);
    }
  }

  /** The first {@code count} records of {@code topic} as bytes, waiting up to {@code timeout}. */
  public List<ConsumerRecord<byte[], byte[]>> rawRecords(
      String topic, Predicate<ConsumerRecord<byte[], byte[]>> filter, int count, Duration timeout) {
    var c = new Properties();
    c.putAll(consumerConfig);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-raw-" + UUID.randomUUID());
    List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
    try (var raw =
        KafkaBroker.withOwnClassLoader(
            () ->
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer()))) {
      raw.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (found.size() < count && System.nanoTime() < deadline) {
        raw.poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (filter.test(r)) {
                    found.add(r);
                  }
                });
      }
    }
    if (found.size() < count) {
      throw new AssertionError("saw " + found.size() + " of " + count + " records on " + topic);
    }
    return found;
  }

  public static String header(ConsumerRecord<?, ?> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    consumer.close(Duration.ofSeconds(5));
  }
}
