package dev.autodoc.reconciler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.JobCompleted;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.QualitySummary;
import dev.autodoc.common.event.ScanInventory;
import dev.autodoc.common.event.ScopeCompleted;
import dev.autodoc.common.event.ScopeFailed;
import dev.autodoc.common.event.ScopeStatus;
import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.testing.KafkaProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Quality reports and token totals from scope outcomes and job ends, and their metrics. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class ReportsIT {
  private static final ScanInventory INVENTORY =
      new ScanInventory(2, 30, Map.of(), Map.of(), List.of());

  @Inject Pool pool;

  @Test
  void theReportFollowsTheScopesAndSettlesWithTheJobAndItsMetricsCountOnce() throws Exception {
    UUID job = UUID.randomUUID();
    try (KafkaProbe kafka = Neighbours.probe()) {
      // Attempt 1 of web failed; attempt 2 succeeded; a late copy of attempt 1 changes nothing.
      var webFailed =
          new ScopeFailed(
              UUID.randomUUID(),
              job,
              Instant.now(),
              AutodocEvent.SCHEMA_VERSION,
              "web",
              1,
              "w1",
              ErrorReport.of(Reason.STEP_TIMEOUT, "slow"),
              5);
      Neighbours.publish(
          kafka,
          completed(
              job, "api", 1, new QualitySummary(3, 0.9, 0.8, 0, 4), new TokenUsage(300, 100)));
      Neighbours.publish(kafka, webFailed);
      Neighbours.publish(
          kafka,
          completed(job, "web", 2, new QualitySummary(1, 0.5, 0.5, 1, 3), new TokenUsage(50, 20)));
      Neighbours.publish(kafka, webFailed);

      JsonNode live = awaitReport(job, r -> r.path("overall").path("pages").asInt() == 4);
      assertThat(live.path("overall").path("meanScore").asDouble())
          .isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(live.path("overall").path("minScore").asDouble()).isEqualTo(0.5);
      assertThat(live.path("overall").path("belowThreshold").asInt()).isEqualTo(1);
      assertThat(live.path("overall").path("generationAttempts").asInt()).isEqualTo(7);
      assertThat(live.path("overall").path("runAttempts").asInt()).isEqualTo(3);

      double pagesBefore = metric("autodoc_pages_generated_total{repository=\"repo-reports\"");
      double promptBefore =
          metric("autodoc_llm_tokens_total{kind=\"prompt\",repository=\"repo-reports\"");
      JobCompleted end =
          new JobCompleted(
              UUID.randomUUID(),
              job,
              Instant.now(),
              AutodocEvent.SCHEMA_VERSION,
              "repo-reports",
              "file:///srv/repo",
              JobStatus.COMPLETED,
              null,
              null,
              List.of(
                  new JobCompleted.ScopeResult(
                      "api",
                      ScopeStatus.SUCCEEDED,
                      1,
                      null,
                      new QualitySummary(3, 0.9, 0.8, 0, 4),
                      new TokenUsage(300, 100)),
                  new JobCompleted.ScopeResult(
                      "web",
                      ScopeStatus.SUCCEEDED,
                      2,
                      null,
                      new QualitySummary(1, 0.5, 0.5, 1, 3),
                      new TokenUsage(50, 20))),
              null,
              null,
              null);
      Neighbours.publish(kafka, end);
      Neighbours.publish(kafka, end);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "COMPLETED".equals(row(job).getString("status")));
      Row settled = row(job);
      assertThat(settled.getString("repository_id")).isEqualTo("repo-reports");
      JsonNode tokens = EventCodec.json().readTree(settled.getString("tokens"));
      assertThat(tokens.path("prompt").asLong()).isEqualTo(350);
      assertThat(tokens.path("completion").asLong()).isEqualTo(120);
      // Counted once although JobCompleted came twice.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  metric("autodoc_pages_generated_total{repository=\"repo-reports\"")
                      == pagesBefore + 4);
      Thread.sleep(1000);
      assertThat(metric("autodoc_pages_generated_total{repository=\"repo-reports\""))
          .isEqualTo(pagesBefore + 4);
      assertThat(metric("autodoc_llm_tokens_total{kind=\"prompt\",repository=\"repo-reports\""))
          .isEqualTo(promptBefore + 350);
      assertThat(metrics()).contains("autodoc_job_quality_score_count");
    }
  }

  private JsonNode awaitReport(UUID job, java.util.function.Predicate<JsonNode> until) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Row r = row(job);
              return r != null && until.test(EventCodec.json().readTree(r.getString("quality")));
            });
    try {
      return EventCodec.json().readTree(row(job).getString("quality"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Row row(UUID job) {
    var rows =
        pool.preparedQuery(
                "select repository_id, status, cast(quality as text) as quality,"
                    + " cast(tokens as text) as tokens from reconciler.job_report where job_id = $1")
            .execute(Tuple.of(job))
            .await()
            .indefinitely();
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  private static String metrics() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** The value of the first sample whose line starts with the name (and labels). */
  private static double metric(String prefix) {
    return metrics()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .orElse(0.0);
  }

  private static ScopeCompleted completed(
      UUID job, String scope, int attempt, QualitySummary quality, TokenUsage tokens) {
    return new ScopeCompleted(
        UUID.randomUUID(),
        job,
        Instant.now(),
        AutodocEvent.SCHEMA_VERSION,
        scope,
        attempt,
        "w" + attempt,
        INVENTORY,
        quality,
        tokens,
        10);
  }
}
