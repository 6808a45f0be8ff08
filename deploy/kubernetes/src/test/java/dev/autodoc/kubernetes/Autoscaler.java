package dev.autodoc.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Plays KEDA for the scope worker Deployment, from the ScaledObject as rendered: every polling
 * interval it reads the worker group's real lag on the trigger's topic and wants {@code ceil(lag /
 * lagThreshold)} replicas between {@code minReplicaCount} and {@code maxReplicaCount} (lag counted
 * per partition as KEDA's Kafka scaler counts it, capped at a threshold per partition when idle
 * consumers are not allowed). Out at once; in to the most wanted over the scale-down stabilization
 * window, as the HPA KEDA drives does. Replicas start as pods of the Deployment and stop with
 * SIGTERM and the Deployment's grace period; a stopping pod no longer counts.
 *
 * <p>Time runs {@code speedUp} times faster than the manifest says (interval and window), so that a
 * test takes minutes.
 */
final class Autoscaler implements AutoCloseable {
  /** One tick: seconds since the start, the lag, the replicas then, the scopes done so far. */
  record Tick(double seconds, long lag, int replicas, long done) {}

  /**
   * A pod stopped on a scale-in: the scopes it was running when it got SIGTERM, and the scopes of
   * the job done by then.
   */
  record Stop(String pod, int scopesInFlight, long scopesDone) {}

  /** What the test asks of its own database: the scopes done, those a pod runs now. */
  interface Scopes {
    long done();

    int runningOn(String pod);
  }

  private final Pods pods;
  private final String deployment;
  private final Admin admin;
  private final String group;
  private final String topic;
  private final long lagThreshold;
  private int min;
  private int max;
  private final boolean allowIdleConsumers;
  private final Duration interval;
  private final Duration window;
  private final Scopes scopes;
  private final Deque<String> running = new ArrayDeque<>();
  private final Deque<long[]> wanted = new ArrayDeque<>();
  private final List<CompletableFuture<Void>> changes = new ArrayList<>();
  private final List<Stop> stops = new ArrayList<>();
  private final List<Tick> timeline = new ArrayList<>();
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
  private final long start = System.nanoTime();
  private int started;

  Autoscaler(
      Pods pods, JsonNode scaledObject, String bootstrapServers, int speedUp, Scopes scopes) {
    this.pods = pods;
    this.scopes = scopes;
    JsonNode spec = scaledObject.path("spec");
    JsonNode trigger = spec.path("triggers").get(0).path("metadata");
    this.deployment = spec.path("scaleTargetRef").path("name").asText();
    this.group = trigger.path("consumerGroup").asText();
    this.topic = trigger.path("topic").asText();
    this.lagThreshold = Long.parseLong(trigger.path("lagThreshold").asText());
    this.allowIdleConsumers = trigger.path("allowIdleConsumers").asText().equals("true");
    this.min = spec.path("minReplicaCount").asInt();
    this.max = spec.path("maxReplicaCount").asInt();
    this.interval = Duration.ofSeconds(spec.path("pollingInterval").asInt(30)).dividedBy(speedUp);
    this.window =
        Duration.ofSeconds(
                spec.at(
                        "/advanced/horizontalPodAutoscalerConfig/behavior/scaleDown/stabilizationWindowSeconds")
                    .asInt(300))
            .dividedBy(speedUp);
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** Holds the replicas at {@code replicas}, whatever the lag: the reference a test measures. */
  Autoscaler fixedAt(int replicas) {
    if (replicas <= 0) {
      return this;
    }
    min = replicas;
    max = replicas;
    return this;
  }

  /** Counts the Deployment's pods already running, starts up to the minimum, and polls. */
  Autoscaler begin(List<String> alreadyRunning) throws Exception {
    running.addAll(alreadyRunning);
    while (running.size() < min) {
      scaleOut();
    }
    clock.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void tick() {
    try {
      long now = System.nanoTime();
      long done = scopes.done();
      long lag = lag();
      int desired = (int) Math.min(max, Math.max(min, ceilDiv(lag, lagThreshold)));
      wanted.addLast(new long[] {now, desired});
      while (now - wanted.peekFirst()[0] > window.toNanos()) {
        wanted.removeFirst();
      }
      // In: the most any tick of the window wanted; out: at once.
      int target = (int) wanted.stream().mapToLong(w -> w[1]).max().orElse(desired);
      while (running.size() < desired) {
        scaleOut();
      }
      while (running.size() > target) {
        scaleIn();
      }
      synchronized (timeline) {
        timeline.add(new Tick((now - start) / 1e9, lag, running.size(), done));
      }
    } catch (Exception e) {
      System.out.println("autoscaler: tick failed: " + e);
    }
  }

  /** The group's lag on the topic, partition by partition, as KEDA's Kafka scaler adds it up. */
  long lag() throws Exception {
    var partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    for (var p : partitions) {
      latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
    }
    var ends = admin.listOffsets(latest).all().get();
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    long total = 0;
    for (var entry : ends.entrySet()) {
      OffsetAndMetadata offset = committed.get(entry.getKey());
      // No offset committed yet, with offsetResetPolicy earliest: the whole partition is lag.
      total += entry.getValue().offset() - (offset == null ? 0 : offset.offset());
    }
    if (!allowIdleConsumers) {
      total = Math.min(total, partitions.size() * lagThreshold);
    }
    return total;
  }

  /** A new pod counts at once; podman creates it meanwhile, as the API server would. */
  private void scaleOut() {
    int index = ++started;
    String pod = pods.replicaPod(deployment, index);
    running.addLast(pod);
    changes.add(
        CompletableFuture.runAsync(
            () -> {
              try {
                pods.startReplica(deployment, index);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }));
  }

  /** The newest pod goes first, as a ReplicaSet picks among equally ready pods. */
  private void scaleIn() {
    String pod = running.removeLast();
    synchronized (stops) {
      stops.add(new Stop(pod, scopes.runningOn(pod), scopes.done()));
    }
    changes.add(CompletableFuture.runAsync(() -> pods.stopReplica(deployment, pod)));
  }

  /** The ticks so far. */
  List<Tick> timeline() {
    synchronized (timeline) {
      return List.copyOf(timeline);
    }
  }

  /** How many replicas were started in all. */
  int started() {
    return started;
  }

  /** The pods stopped on a scale-in. */
  List<Stop> stops() {
    synchronized (stops) {
      return List.copyOf(stops);
    }
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** Stops polling; leaves the replicas running (the test stops them with the pods). */
  @Override
  public void close() {
    clock.shutdownNow();
    try {
      clock.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new)).join();
    admin.close();
  }
}
