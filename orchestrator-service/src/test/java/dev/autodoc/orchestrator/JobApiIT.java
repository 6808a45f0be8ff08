package dev.autodoc.orchestrator;

import static dev.autodoc.orchestrator.OrchestratorTesting.api;
import static dev.autodoc.orchestrator.OrchestratorTesting.awaitStatus;
import static dev.autodoc.orchestrator.OrchestratorTesting.repository;
import static dev.autodoc.orchestrator.OrchestratorTesting.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import dev.autodoc.common.event.EventType;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class JobApiIT {

  @Test
  void aSubmittedJobIsAcceptedQueuedAndReadableAtItsLocation() {
    try (GitFixture repo = repository("api-submit")) {
      repo.write("README.md", "# hello\n").commit("first");
      var response =
          api().body(Map.of("repository", repo.url(), "branch", "main")).post("/api/v1/jobs");
      response
          .then()
          .statusCode(202)
          .header("Location", org.hamcrest.Matchers.containsString("/api/v1/jobs/"))
          .body("status", equalTo("QUEUED"))
          .body("repository.url", equalTo("file://" + repo.url()))
          .body("branch", equalTo("main"))
          // No mode asked for: planning decides it.
          .body("mode", org.hamcrest.Matchers.nullValue());
      String id = response.path("id");
      var job = awaitStatus(id, "RUNNING");
      assertThat(job.getString("commitSha")).matches("[0-9a-f]{40}");
      // Never documented: a full run.
      assertThat(job.getString("mode")).isEqualTo("FULL");
      assertThat(job.getString("plan.scopes[0].reason")).isEqualTo("new scope: never documented");
    }
  }

  @Test
  void aBadBodyNamesEveryOffendingField() {
    api()
        .body(
            "{\"repository\": 5, \"mode\": \"fast\", \"force\": \"yes\", \"colour\": 1, \"callbackUrl\": \"ftp://x\", \"dryRun\": null}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("reason", equalTo("INVALID_REQUEST"))
        .body("errors.field", hasItems("repository", "mode", "force", "colour", "callbackUrl"));
  }

  @Test
  void aMissingRepositoryAndAnUnsupportedOneAreNamed() {
    api()
        .body("{}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("repository"))
        .body("errors[0].message", equalTo("is required"));
    api()
        .body(Map.of("repository", "git@github.com:acme/pay.git"))
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("repository"))
        .body(
            "errors[0].message",
            startsWith("repository 'git@github.com:acme/pay.git' is not a valid URL"));
    api()
        .body(Map.of("repository", "/srv/x", "branch", "bad..name"))
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("branch"));
  }

  @Test
  void bodiesThatAreNotJsonObjectsAreRefusedWithAProblem() {
    api()
        .body("{\"repository\": ")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", startsWith("the body is not valid JSON"));
    api()
        .body("[1, 2]")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].message", equalTo("the body must be a JSON object"));
  }

  @Test
  void keysAndRolesGuardTheApi() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("repository", "/srv/x"))
        .post("/api/v1/jobs")
        .then()
        .statusCode(401);
    given().header("Authorization", "Bearer not-a-key").get("/api/v1/jobs").then().statusCode(401);
    given()
        .header("Authorization", "Bearer " + OrchestratorTesting.READER_KEY)
        .contentType(ContentType.JSON)
        .body(Map.of("repository", "/srv/x"))
        .post("/api/v1/jobs")
        .then()
        .statusCode(403);
    given()
        .header("Authorization", "Bearer " + OrchestratorTesting.READER_KEY)
        .get("/api/v1/jobs")
        .then()
        .statusCode(200);
    given().get("/q/health/ready").then().statusCode(200);
    given()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("/api/v1/jobs"));
  }

  @Test
  void aRetriedSubmitWithTheSameIdempotencyKeyReturnsTheSameJob() {
    try (GitFixture repo = repository("api-idempotent")) {
      repo.write("a.txt", "a").commit("a");
      String key = "retry-" + UUID.randomUUID();
      Map<String, Object> body = Map.of("repository", repo.url(), "force", true);
      var first = api().header("Idempotency-Key", key).body(body).post("/api/v1/jobs");
      first.then().statusCode(202).header("Idempotent-Replayed", "false");
      var second =
          api()
              .header("Idempotency-Key", key)
              .body(Map.of("force", true, "repository", repo.url()))
              .post("/api/v1/jobs");
      second.then().statusCode(202).header("Idempotent-Replayed", "true");
      assertThat(second.<String>path("id")).isEqualTo(first.path("id"));

      api()
          .header("Idempotency-Key", key)
          .body(Map.of("repository", repo.url()))
          .post("/api/v1/jobs")
          .then()
          .statusCode(409)
          .body("detail", org.hamcrest.Matchers.containsString("different request"));
    }
  }

  @Test
  void listingFiltersByRepositoryAndStatusAndPagesWithACursor() {
    try (GitFixture repo = repository("api-list")) {
      repo.write("a.txt", "a").commit("a");
      Set<String> submitted = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        submitted.add(submit(repo.url()));
      }
      Set<String> listed = new HashSet<>();
      String cursor = null;
      int pages = 0;
      do {
        var spec = api().queryParam("repository", repo.url()).queryParam("limit", 2);
        if (cursor != null) {
          spec.queryParam("cursor", cursor);
        }
        var page = spec.get("/api/v1/jobs").then().statusCode(200).extract().jsonPath();
        List<String> ids = page.getList("items.id");
        assertThat(ids).hasSizeLessThanOrEqualTo(2);
        listed.addAll(ids);
        cursor = page.getString("nextCursor");
        pages++;
      } while (cursor != null);
      assertThat(listed).isEqualTo(submitted);
      assertThat(pages).isEqualTo(3);

      // One repository runs one job at a time: the rest wait in the queue.
      var queued =
          api()
              .queryParam("repository", repo.url())
              .queryParam("status", "queued")
              .get("/api/v1/jobs")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("items.id");
      assertThat(queued).hasSize(4);
    }
  }

  @Test
  void badListParametersAreNamed() {
    api()
        .queryParam("status", "DONE")
        .queryParam("limit", 0)
        .queryParam("cursor", "zzz")
        .get("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("status", "limit", "cursor"));
  }

  @Test
  void anUnknownJobIsNotFoundAndAMalformedIdIsABadRequest() {
    api()
        .get("/api/v1/jobs/" + UUID.randomUUID())
        .then()
        .statusCode(404)
        .body("reason", equalTo("NOT_FOUND"));
    api()
        .get("/api/v1/jobs/not-a-uuid")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("id"));
  }

  @Test
  void cancellingEndsTheJobOnceAndAnnouncesIt() {
    try (GitFixture repo = repository("api-cancel");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      repo.write("a.txt", "a").commit("a");
      String id = submit(repo.url());
      api()
          .post("/api/v1/jobs/" + id + "/cancel")
          .then()
          .statusCode(200)
          .body("status", equalTo("CANCELLED"));
      api()
          .post("/api/v1/jobs/" + id + "/cancel")
          .then()
          .statusCode(409)
          .body("reason", equalTo("CONFLICT"));
      var completed =
          kafka.await(
              r -> r.topic().equals(Topics.JOB_COMPLETED) && id.equals(r.key()),
              1,
              Duration.ofSeconds(30));
      assertThat(KafkaProbe.header(completed.getFirst(), "ce_type"))
          .isEqualTo(EventType.JOB_COMPLETED.ceType());
      assertThat(completed.getFirst().value()).contains("\"status\":\"CANCELLED\"");
      assertThat(
              kafka.records(
                  r -> r.topic().equals(Topics.JOB_COMPLETED) && id.equals(r.key()),
                  Duration.ofSeconds(2)))
          .hasSize(1);
    }
  }
}
