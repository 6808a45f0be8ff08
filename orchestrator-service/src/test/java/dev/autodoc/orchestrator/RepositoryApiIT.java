package dev.autodoc.orchestrator;

import static dev.autodoc.orchestrator.OrchestratorTesting.api;
import static dev.autodoc.orchestrator.OrchestratorTesting.repository;
import static dev.autodoc.orchestrator.OrchestratorTesting.submit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.local.testing.GitFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Repositories are known by their jobs; without a worker run there are no pages yet. */
@QuarkusTest
class RepositoryApiIT {

  @Test
  void aRepositoryWithJobsIsListedWithItsLatestJobAndHasNoPagesBeforeAWorkerRan() {
    try (GitFixture repo = repository("repo-api")) {
      repo.write("a.txt", "a").commit("a");
      submit(repo.url());
      String latest = submit(repo.url());
      String id = RepositoryRef.parse(repo.url()).id();
      api().get("/api/v1/repositories").then().statusCode(200).body("id", hasItem(id));
      api()
          .get("/api/v1/repositories/" + id)
          .then()
          .statusCode(200)
          .body("url", equalTo("file://" + repo.url()))
          .body("jobs", equalTo(2))
          .body("lastJobId", equalTo(latest));
      api()
          .get("/api/v1/repositories/" + id + "/pages")
          .then()
          .statusCode(200)
          .body("size()", equalTo(0));
      api()
          .get("/api/v1/repositories/" + id + "/pages/docs/autodoc/index.md")
          .then()
          .statusCode(404)
          .body("reason", equalTo("NOT_FOUND"));
    }
  }

  @Test
  void aKnownRepositoryCarriesACronScheduleThatIsValidatedShownAndRemoved() {
    try (GitFixture repo = repository("repo-schedule")) {
      repo.write("a.txt", "a").commit("a");
      submit(repo.url());
      String id = RepositoryRef.parse(repo.url()).id();
      String schedule = "/api/v1/repositories/" + id + "/schedule";
      api().get(schedule).then().statusCode(404).body("reason", equalTo("NOT_FOUND"));

      // Every offending field at once; nothing stored.
      api()
          .body(Map.of("cron", "61 * * *", "timeZone", "Mars/Olympus", "branch", "a..b", "x", 1))
          .put(schedule)
          .then()
          .statusCode(400)
          .body("errors.field", containsInAnyOrder("cron", "timeZone", "branch", "x"))
          .body("errors.find { it.field == 'cron' }.message", containsString("has 4 fields"));
      api()
          .body(Map.of("cron", 5))
          .put(schedule)
          .then()
          .statusCode(400)
          .body("errors.field", contains("cron"))
          .body("errors[0].message", equalTo("must be a string"));
      api().body("[]").put(schedule).then().statusCode(400);
      api().get(schedule).then().statusCode(404);
      // Readers may look, not schedule.
      given()
          .header("Authorization", "Bearer " + OrchestratorTesting.READER_KEY)
          .contentType(ContentType.JSON)
          .body(Map.of("cron", "0 3 * * *"))
          .put(schedule)
          .then()
          .statusCode(403);

      Instant before = Instant.now();
      api()
          .body(Map.of("cron", "0 3 * * *", "timeZone", "Europe/Berlin", "branch", "main"))
          .put(schedule)
          .then()
          .statusCode(200)
          .body("repositoryUrl", equalTo("file://" + repo.url()))
          .body("cron", equalTo("0 3 * * *"))
          .body("timeZone", equalTo("Europe/Berlin"))
          .body("branch", equalTo("main"));
      String next = api().get(schedule).then().statusCode(200).extract().path("nextRunAt");
      ZonedDateTime nextInBerlin = Instant.parse(next).atZone(ZoneId.of("Europe/Berlin"));
      assertThat(nextInBerlin.getHour()).isEqualTo(3);
      assertThat(nextInBerlin.getMinute()).isZero();
      assertThat(Instant.parse(next)).isBetween(before, before.plus(Duration.ofHours(25)));

      // Replaced, then removed.
      api()
          .body(Map.of("cron", "30 */5 * * * *"))
          .put(schedule)
          .then()
          .statusCode(200)
          .body("timeZone", equalTo("UTC"))
          .body("branch", nullValue());
      api().delete(schedule).then().statusCode(204);
      api().get(schedule).then().statusCode(404);
      api().delete(schedule).then().statusCode(404);
    }
  }

  @Test
  void anUnknownRepositoryCannotBeScheduled() {
    api()
        .body(Map.of("cron", "0 3 * * *"))
        .put("/api/v1/repositories/nope-0000000000/schedule")
        .then()
        .statusCode(404)
        .body("detail", equalTo("no repository nope-0000000000"));
  }

  @Test
  void anUnknownRepositoryIsNotFound() {
    api().get("/api/v1/repositories/nope-0000000000").then().statusCode(404);
    api().get("/api/v1/repositories/nope-0000000000/pages").then().statusCode(404);
  }
}
