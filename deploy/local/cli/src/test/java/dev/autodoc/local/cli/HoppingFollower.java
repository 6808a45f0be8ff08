package dev.autodoc.local.cli;

import dev.autodoc.common.sse.EventStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client of a job's event stream that hops between orchestrator replicas: after every few events,
 * and whenever a connection fails (a replica killed), it connects to the next one with {@code
 * Last-Event-ID}. It keeps every event it got, to compare with a full replay.
 */
final class HoppingFollower implements Runnable {
  private final List<ApiClient> replicas;
  private final String jobId;
  private final int hopEvery;
  private final List<EventStream.Event> events = new CopyOnWriteArrayList<>();
  private final Set<Integer> used = ConcurrentHashMap.newKeySet();
  private volatile int connections;
  private volatile boolean ended;
  private volatile Exception error;

  HoppingFollower(List<ApiClient> replicas, String jobId, int hopEvery) {
    this.replicas = List.copyOf(replicas);
    this.jobId = jobId;
    this.hopEvery = hopEvery;
  }

  @Override
  public void run() {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    String last = null;
    try {
      for (int next = 0; !ended && System.nanoTime() < deadline; next++) {
        int replica = next % replicas.size();
        try (EventStream stream = replicas.get(replica).events(jobId, last)) {
          connections++;
          used.add(replica);
          Optional<EventStream.Event> event;
          for (int read = 0; read < hopEvery && (event = stream.next()).isPresent(); read++) {
            events.add(event.get());
            last = event.get().id();
            if (event.get().name().equals("job")
                && event.get().data().matches(".*\"status\":\"(COMPLETED|FAILED|CANCELLED)\".*")) {
              ended = true;
              break;
            }
          }
        } catch (IOException e) {
          Thread.sleep(300); // That replica is down: the next one.
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      error = e;
    }
  }

  /** Every event received, in the order received. */
  List<EventStream.Event> events() {
    return new ArrayList<>(events);
  }

  /** The replicas (by index) the follower read from. */
  Set<Integer> used() {
    return Set.copyOf(used);
  }

  int connections() {
    return connections;
  }

  boolean ended() {
    return ended;
  }

  Exception error() {
    return error;
  }

  /** The whole stream of the job from one replica, from its first event to its end. */
  static List<EventStream.Event> replay(ApiClient replica, String jobId) throws Exception {
    List<EventStream.Event> all = new ArrayList<>();
    try (EventStream stream = replica.events(jobId, null)) {
      Optional<EventStream.Event> event;
      while ((event = stream.next()).isPresent()) {
        all.add(event.get());
      }
    }
    return all;
  }
}
