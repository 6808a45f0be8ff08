package dev.autodoc.orchestrator;

import static dev.autodoc.orchestrator.OrchestratorTesting.awaitStatus;
import static dev.autodoc.orchestrator.OrchestratorTesting.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autodoc.common.event.JobProgress;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.common.sse.EventStream;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A job's event log and its stream: workers' steps (played by a Kafka producer) and the
 * orchestrator's own steps and statuses, replayed exactly once and in order to a client that comes
 * late or comes back, and paired into the job view's step timeline.
 */
@QuarkusTest
class JobEventsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aLateClientAndOneThatReconnectsGetEveryEventOnceInOrderAndTheStreamEndsWithTheJob()
      throws Exception {
    try (GitFixture repo = FanInIT.twoScopes("events");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      String id = submit(repo.url());
      awaitStatus(id, "RUNNING");
      UUID job = UUID.fromString(id);
      Instant t0 = Instant.now();
      var apiFetch = step(job, "api", "fetch", JobProgress.Phase.STARTED, 1, "worker-a", t0);
      // At least once: the same record twice is one event.
      FanInIT.publish(kafka, apiFetch);
      FanInIT.publish(kafka, apiFetch);
      FanInIT.publish(
          kafka,
          step(job, "api", "fetch", JobProgress.Phase.FINISHED, 1, "worker-a", t0.plusMillis(40)));
      FanInIT.publish(
          kafka, step(job, "web", "fetch", JobProgress.Phase.STARTED, 1, "worker-b", t0));

      // A client that connects late gets what happened so far, then what happens.
      List<EventStream.Event> first = new ArrayList<>();
      String lastId;
      try (EventStream stream = open(id, null)) {
        read(stream, first, e -> e.data().contains("\"scope\":\"web\""));
        lastId = stream.lastId();
      }
      // While it is away, the web fetch fails, is retried elsewhere, and api completes.
      FanInIT.publish(
          kafka,
          step(job, "web", "fetch", JobProgress.Phase.FAILED, 1, "worker-b", t0.plusMillis(5)));
      FanInIT.publish(
          kafka,
          step(job, "web", "fetch", JobProgress.Phase.STARTED, 2, "worker-c", t0.plusMillis(10)));
      FanInIT.publish(
          kafka,
          step(job, "web", "fetch", JobProgress.Phase.FINISHED, 2, "worker-c", t0.plusMillis(30)));
      FanInIT.publish(kafka, FanInIT.completed(job, "api", 1, "worker-a"));
      awaitScope(id, "api", "SUCCEEDED");

      List<EventStream.Event> second = new ArrayList<>();
      try (EventStream stream = open(id, lastId)) {
        FanInIT.publish(kafka, FanInIT.completed(job, "web", 2, "worker-c"));
        read(stream, second, e -> false);
      }

      // A third client from the start replays the whole log, and it ends with the job.
      List<EventStream.Event> all = new ArrayList<>();
      try (EventStream stream = open(id, null)) {
        read(stream, all, e -> false);
      }
      List<EventStream.Event> seen = new ArrayList<>(first);
      seen.addAll(second);
      assertThat(seen).isEqualTo(all);
      assertThat(all.stream().map(e -> Long.parseLong(e.id())).toList()).isSorted();
      assertThat(all.stream().map(EventStream.Event::id).distinct()).hasSameSizeAs(all);
      assertThat(all.stream().filter(e -> e.name().equals("job")).map(e -> field(e, "status")))
          .containsExactly("QUEUED", "PLANNING", "RUNNING", "FINALIZING", "COMPLETED");
      assertThat(all.getLast().name()).isEqualTo("job");
      assertThat(
              all.stream()
                  .filter(e -> e.name().equals("step"))
                  .map(e -> text(e, "scope") + " " + field(e, "step") + " " + field(e, "phase")))
          .containsExactly(
              "- plan STARTED",
              "- plan FINISHED",
              "- fan-out STARTED",
              "- fan-out FINISHED",
              "api fetch STARTED",
              "api fetch FINISHED",
              "web fetch STARTED",
              "web fetch FAILED",
              "web fetch STARTED",
              "web fetch FINISHED",
              "- finalize STARTED",
              "- finalize FINISHED");
      // Scope events say how far the job is.
      assertThat(
              all.stream()
                  .filter(e -> e.name().equals("scope"))
                  .map(e -> text(e, "scope") + " " + field(e, "status") + " " + field(e, "done")))
          .containsExactly("api SUCCEEDED 1", "web SUCCEEDED 2");

      // The same log, paired into the timeline of the job view.
      JsonPath view = OrchestratorTesting.job(id);
      assertThat(view.getList("scopes.find { it.path == 'web' }.steps.outcome"))
          .containsExactly("FAILED", "FINISHED");
      assertThat(view.getList("scopes.find { it.path == 'web' }.steps.workerId"))
          .containsExactly("worker-b", "worker-c");
      assertThat(view.getInt("scopes.find { it.path == 'web' }.steps[1].millis")).isEqualTo(20);
      assertThat(view.getInt("scopes.find { it.path == 'api' }.steps[0].millis")).isEqualTo(40);
      assertThat(view.getList("steps.step")).containsExactly("plan", "fan-out", "finalize");
      assertThat(view.getList("steps.outcome")).containsOnly("FINISHED");
      assertThat(view.getList("stepTotals.step"))
          .containsExactly("plan", "fan-out", "fetch", "finalize");
      assertThat(view.getInt("stepTotals.find { it.step == 'fetch' }.runs")).isEqualTo(3);
      assertThat(view.getInt("stepTotals.find { it.step == 'fetch' }.failed")).isEqualTo(1);
      assertThat(view.getInt("stepTotals.find { it.step == 'fetch' }.millis")).isEqualTo(65);
    }
  }

  /**
   * Progress is consumed a poll at a time and stored in one transaction: a record that cannot be
   * read is dead-lettered alone, and the records sent around it are all recorded, in order.
   */
  @Test
  void aProgressRecordThatCannotBeReadIsDeadLetteredAloneAndTheOthersAreRecorded() {
    try (GitFixture repo = FanInIT.twoScopes("events-poison");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      String id = submit(repo.url());
      awaitStatus(id, "RUNNING");
      UUID job = UUID.fromString(id);
      Instant t0 = Instant.now();
      String poison = "poison-" + id;
      FanInIT.publish(
          kafka, step(job, "api", "extract", JobProgress.Phase.STARTED, 1, "worker-a", t0));
      kafka.send(Topics.JOB_PROGRESS, poison, "{\"jobId\": not json", Map.of());
      FanInIT.publish(
          kafka,
          step(
              job, "api", "extract", JobProgress.Phase.FINISHED, 1, "worker-a", t0.plusMillis(70)));
      // A job this database does not hold: dropped, not dead-lettered.
      FanInIT.publish(
          kafka,
          step(UUID.randomUUID(), "api", "extract", JobProgress.Phase.STARTED, 1, "worker-z", t0));
      FanInIT.publish(
          kafka, step(job, "web", "extract", JobProgress.Phase.STARTED, 1, "worker-b", t0));

      var dead =
          kafka.await(
              r ->
                  r.topic().equals(Topics.deadLetter(Topics.JOB_PROGRESS))
                      && poison.equals(r.key()),
              1,
              WAIT);
      assertThat(KafkaProbe.header(dead.getFirst(), "dead-letter-reason")).contains("JSON");
      org.awaitility.Awaitility.await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                JsonPath view = OrchestratorTesting.job(id);
                assertThat(view.getList("scopes.find { it.path == 'api' }.steps.outcome"))
                    .containsExactly("FINISHED");
                assertThat(view.getInt("scopes.find { it.path == 'api' }.steps[0].millis"))
                    .isEqualTo(70);
                assertThat(view.getList("scopes.find { it.path == 'web' }.steps.outcome"))
                    .containsExactly("RUNNING");
              });
      assertThat(
              kafka.records(
                  r ->
                      r.topic().equals(Topics.deadLetter(Topics.JOB_PROGRESS))
                          && r.value() != null
                          && r.value().contains("worker-"),
                  Duration.ofSeconds(1)))
          .as("no readable progress record is dead-lettered")
          .isEmpty();
    }
  }

  @Test
  void aStreamRequestThatCannotBeServedIsRefusedWithTheReason() {
    String unknown = UUID.randomUUID().toString();
    OrchestratorTesting.api()
        .get("/api/v1/jobs/" + unknown + "/events")
        .then()
        .statusCode(404)
        .body("detail", org.hamcrest.Matchers.containsString(unknown));
    OrchestratorTesting.api()
        .get("/api/v1/jobs/not-a-job/events")
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("id"));
    OrchestratorTesting.api()
        .header("Last-Event-ID", "-3")
        .get("/api/v1/jobs/" + unknown + "/events")
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("Last-Event-ID"));
    RestAssured.given().get("/api/v1/jobs/" + unknown + "/events").then().statusCode(401);
  }

  /** Reads events into {@code into} until one matches, or until the stream ends. */
  private static void read(
      EventStream stream, List<EventStream.Event> into, Predicate<EventStream.Event> until) {
    assertTimeoutPreemptively(
        WAIT,
        () -> {
          while (true) {
            var event = stream.next();
            if (event.isEmpty()) {
              return;
            }
            into.add(event.get());
            if (until.test(event.get())) {
              return;
            }
          }
        });
  }

  private static EventStream open(String id, String lastEventId) throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:" + RestAssured.port + "/api/v1/jobs/" + id + "/events"))
            .header("Authorization", "Bearer " + OrchestratorTesting.READER_KEY)
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<java.io.InputStream> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    return new EventStream(
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)),
        lastEventId);
  }

  private static void awaitScope(String id, String scope, String status) {
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                status.equals(
                    OrchestratorTesting.job(id)
                        .getString("scopes.find { it.path == '" + scope + "' }.status")));
  }

  private static String field(EventStream.Event e, String name) {
    return json(e).path(name).asText();
  }

  private static String text(EventStream.Event e, String name) {
    JsonNode value = json(e).path(name);
    return value.isMissingNode() || value.isNull() ? "-" : value.asText();
  }

  private static JsonNode json(EventStream.Event e) {
    try {
      return JSON.readTree(e.data());
    } catch (java.io.IOException x) {
      throw new AssertionError(x);
    }
  }

  private static JobProgress step(
      UUID job,
      String scope,
      String step,
      JobProgress.Phase phase,
      int attempt,
      String worker,
      Instant at) {
    return new JobProgress(
        UUID.randomUUID(), job, at, 1, scope, step, phase, null, null, null, attempt, worker);
  }
}
