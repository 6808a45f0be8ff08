package dev.autodoc.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.stack.Server;
import dev.autodoc.local.testing.GitFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL killed under a running orchestrator: the API says a dependency is unavailable (503
 * with Retry-After and a problem body, never a 500), readiness goes DOWN, and once the database is
 * back everything works again without an error in the log.
 */
@QuarkusTest
class DatabaseOutageIT {
  @Test
  void whileThePostgresIsDownTheApiAnswers503AndReadinessIsDownThenAllRecovers() throws Exception {
    List<LogRecord> errors = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
              errors.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger.getLogger("").addHandler(capture);
    LocalStack stack = LocalStackResource.stack();
    try (GitFixture repo = OrchestratorTesting.repository("outage")) {
      repo.write("a.py", "def a():\n    return 1\n").commit("a");
      OrchestratorTesting.api().get("/api/v1/jobs").then().statusCode(200);

      stack.kill(Server.POSTGRES);
      long killed = System.nanoTime();
      for (var call :
          List.<java.util.function.Supplier<Response>>of(
              () -> OrchestratorTesting.api().get("/api/v1/jobs"),
              () -> OrchestratorTesting.api().get("/api/v1/repositories"),
              () ->
                  OrchestratorTesting.api()
                      .body(java.util.Map.of("repository", repo.url()))
                      .post("/api/v1/jobs"))) {
        Response response = call.get();
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("reason")).isEqualTo("STORAGE_UNAVAILABLE");
        assertThat(response.jsonPath().getString("detail"))
            .contains("a dependency is unavailable")
            .contains("PostgreSQL");
      }
      Response ready = given().get("/q/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.asString()).contains("DOWN");

      stack.restart(Server.POSTGRES);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> OrchestratorTesting.api().get("/api/v1/jobs").statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> given().get("/q/health/ready").statusCode() == 200);
      String id = OrchestratorTesting.submit(repo.url());
      OrchestratorTesting.awaitStatus(id, "RUNNING");
      // Queries that failed during the outage leave nothing behind: the pool's acquisition timeout
      // (30 s) passes without a timer failing an already completed result.
      long waited = Duration.ofNanos(System.nanoTime() - killed).toMillis();
      Thread.sleep(Math.max(0, 35_000 - waited));
      assertThat(errors)
          .extracting(r -> r.getMessage() + " " + r.getThrown())
          .noneMatch(m -> m.contains("already complete"));
    } finally {
      Logger.getLogger("").removeHandler(capture);
      if (!given().get("/q/health/ready").asString().contains("UP")) {
        try {
          stack.restart(Server.POSTGRES);
        } catch (IllegalStateException alreadyRunning) {
          // Restarted above.
        }
      }
    }
  }
}
