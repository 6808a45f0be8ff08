package dev.autodoc.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.sse.EventStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows a job through its event stream, printing each scope as a worker takes it up, each step
 * that fails, each scope's end and the job's statuses. When the connection drops (an orchestrator
 * restarting, another replica behind the address) it connects again with {@code Last-Event-ID}, so
 * nothing is printed twice or missed.
 */
final class JobFollower {
  private static final Duration RECONNECT = Duration.ofSeconds(1);

  private final ApiClient api;
  private final PrintWriter out;
  private final Duration timeout;
  private final Map<String, String> names = new HashMap<>();
  private final Set<String> running = new HashSet<>();
  private long start;

  JobFollower(ApiClient api, PrintWriter out, Duration timeout) {
    this.api = api;
    this.out = out;
    this.timeout = timeout;
  }

  /** Follows the job until it ends or the timeout passes; returns the job as it is then. */
  JsonNode follow(String id) throws IOException, InterruptedException {
    start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    AtomicReference<EventStream> current = new AtomicReference<>();
    // The stream blocks while a step runs: at the deadline, closing it ends the wait.
    Thread watchdog =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(timeout);
                    EventStream stream = current.get();
                    if (stream != null) {
                      stream.close();
                    }
                  } catch (InterruptedException | IOException e) {
                    // Followed to the end, or closed already.
                  }
                });
    String lastId = null;
    boolean ended = false;
    try {
      while (!ended && System.nanoTime() < deadline) {
        try (EventStream stream = api.events(id, lastId)) {
          current.set(stream);
          Optional<EventStream.Event> event;
          while (!ended && (event = stream.next()).isPresent()) {
            ended = print(id, event.get());
          }
          lastId = stream.lastId();
          // A stream that ends with no final status was cut off: connect again.
        } catch (IOException e) {
          if (System.nanoTime() < deadline) {
            Thread.sleep(RECONNECT);
          }
        }
      }
    } finally {
      watchdog.interrupt();
    }
    out.flush();
    if (!ended) {
      out.println("Gave up waiting after " + timeout + "; the job goes on: GET /api/v1/jobs/" + id);
    }
    return api.job(id).body();
  }

  /** Prints what the event says; true when it is the job's last. */
  private boolean print(String id, EventStream.Event event)
      throws IOException, InterruptedException {
    JsonNode data = EventCodec.json().readTree(event.data());
    String at = String.format(Locale.ROOT, "%6.1fs", (System.nanoTime() - start) / 1e9);
    switch (event.name()) {
      case "job" -> {
        out.printf("%s  job %s%n", at, data.path("status").asText());
        out.flush();
        return data.path("status").asText().matches("COMPLETED|FAILED|CANCELLED");
      }
      case "step" -> {
        String phase = data.path("phase").asText();
        if (!data.hasNonNull("scope")) {
          if (phase.equals("FAILED")) {
            out.printf("%s  %s failed: %s%n", at, data.path("step").asText(), message(data));
          }
          break;
        }
        String scope = label(id, data.path("scope").asText());
        int attempt = data.path("attempt").asInt();
        if (phase.equals("STARTED") && running.add(scope + "#" + attempt)) {
          out.printf(
              "%s  %-32s %-9s attempt %d on %s%n",
              at, scope, "RUNNING", attempt, data.path("workerId").asText());
        } else if (phase.equals("FAILED")) {
          out.printf(
              "%s  %-32s %s failed: %s%n", at, scope, data.path("step").asText(), message(data));
        }
      }
      case "scope" -> {
        out.printf(
            "%s  %-32s %-9s attempt %d%n",
            at,
            label(id, data.path("scope").asText()),
            data.path("status").asText(),
            data.path("attempt").asInt());
        out.printf(
            "%s  %d of %d scopes done%n",
            at, data.path("done").asInt(), data.path("total").asInt());
      }
      default -> {
        // A kind this CLI does not know yet: nothing to print.
      }
    }
    out.flush();
    return false;
  }

  private static String message(JsonNode data) {
    return data.path("message").asText("");
  }

  /** The scope's path with its name, as the plan shows it; the names come from the job. */
  private String label(String id, String path) throws IOException, InterruptedException {
    if (!names.containsKey(path)) {
      for (JsonNode scope : api.job(id).body().path("scopes")) {
        names.put(scope.path("path").asText(), scope.path("name").asText());
      }
    }
    return JobReport.label(path, names.getOrDefault(path, ""));
  }
}
