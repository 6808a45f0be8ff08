package dev.autodoc.orchestrator;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** What the orchestrator's tests share: the real local stack, API calls, repositories, Kafka. */
@QuarkusTestResource(LocalStackResource.class)
public final class OrchestratorTesting {
  public static final String SUBMITTER_KEY = "test-submitter-key";
  public static final String READER_KEY = "test-reader-key";

  private OrchestratorTesting() {}

  public static RequestSpecification api() {
    return given().header("Authorization", "Bearer " + SUBMITTER_KEY).contentType(ContentType.JSON);
  }

  public static GitFixture repository(String name) {
    return GitFixture.create(
        Path.of(System.getProperty("autodoc.build.dir", "target"), "repos"), name);
  }

  public static KafkaProbe probe() {
    return new KafkaProbe(LocalStackResource.endpoints().kafkaBootstrapServers(), Topics.all());
  }

  /** Submits a job for the repository and returns its id. */
  public static String submit(String repository) {
    return api()
        .body(Map.of("repository", repository))
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .extract()
        .path("id");
  }

  public static JsonPath job(String id) {
    return api().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
  }

  /** Waits until the job has the status, and returns it then. */
  public static JsonPath awaitStatus(String id, String status) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              // A job requested over Kafka does not exist until the orchestrator consumed the
              // request.
              var response = api().get("/api/v1/jobs/" + id);
              return response.statusCode() == 200 && status.equals(response.path("status"));
            });
    return job(id);
  }
}
