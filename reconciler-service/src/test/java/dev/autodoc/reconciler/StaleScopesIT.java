package dev.autodoc.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.JobRequested;
import dev.autodoc.common.event.ScopeFailed;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.testing.KafkaProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stale scopes and stuck jobs, with the orchestrator and the workers played by rows in their
 * tables. The test profile calls a scope stale after 2 s and a job stuck after 2 s.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class StaleScopesIT {
  private static final String PLAN =
      """
      {"mode":"INCREMENTAL","commitSha":"0123456789abcdef0123456789abcdef01234567","scopes":[
        {"scope":"api","action":"PAGES","reason":"2 files changed","pages":[],
         "changedFiles":["api/A.java","api/B.java"],
         "baselineJob":"6f1c9a52-3f4e-4a43-9c38-5b8f3f1f7a10",
         "baselineCommit":"fedcba9876543210fedcba9876543210fedcba98","estimatedTokens":0}],
       "removedScopes":[],"estimatedTokens":0}
      """;

  @Inject Pool pool;
  @Inject StaleScopes staleScopes;

  @BeforeEach
  void neighbours() {
    Neighbours.migrate();
  }

  @Test
  void aSilentScopeIsDispatchedAgainUntilItsAttemptsAreSpentThenFailsWithATimeout()
      throws Exception {
    try (KafkaProbe kafka = Neighbours.probe()) {
      UUID job = Neighbours.job(pool, "RUNNING", "api", PLAN);
      Neighbours.running(pool, job, "api", 1, "worker-a-1-abcdef", 60);

      // Attempt 2 right away; attempt 3 when nobody took attempt 2 within the limit; then the end.
      List<ConsumerRecord<String, String>> requests =
          kafka.await(
              r -> r.topic().equals(Topics.SCOPE_REQUESTED) && r.key().startsWith(job.toString()),
              2,
              Duration.ofSeconds(30));
      var failures =
          kafka.await(
              r -> r.topic().equals(Topics.SCOPE_COMPLETED) && r.key().equals(job.toString()),
              1,
              Duration.ofSeconds(30));

      List<ScopeRequested> dispatched =
          requests.stream().map(r -> (ScopeRequested) decode(r)).toList();
      assertThat(dispatched).extracting(ScopeRequested::attempt).containsExactly(2, 3);
      ScopeRequested second = dispatched.getFirst();
      assertThat(second.scopePath()).isEqualTo("api");
      assertThat(second.repositoryUrl()).isEqualTo("file:///srv/repo");
      assertThat(second.excludedPaths()).containsExactly("api/generated");
      assertThat(second.config().name()).isEqualTo("api");
      // The same baseline the first attempt had: an incremental scope stays incremental.
      assertThat(second.baseline()).isNotNull();
      assertThat(second.baseline().restructure()).isFalse();
      assertThat(second.baseline().changedFiles()).containsExactly("api/A.java", "api/B.java");
      assertThat(second.baseline().commitSha())
          .isEqualTo("fedcba9876543210fedcba9876543210fedcba98");

      ScopeFailed failed = (ScopeFailed) decode(failures.getFirst());
      assertThat(failed.attempt()).isEqualTo(3);
      assertThat(failed.error().reason()).isEqualTo(Reason.SCOPE_TIMED_OUT);
      assertThat(failed.error().message())
          .contains("scope 'api' timed out")
          .contains("no worker took attempt 3")
          .contains("all 3 attempts are spent");

      // Nothing more: the decision to fail is final.
      assertThat(
              kafka.records(
                  r ->
                      (r.topic().equals(Topics.SCOPE_REQUESTED)
                              || r.topic().equals(Topics.SCOPE_COMPLETED))
                          && r.key().startsWith(job.toString()),
                  Duration.ofSeconds(3)))
          .hasSize(3);
    }
  }

  @Test
  void aScopeNoWorkerTakesIsDispatchedAgainThenFailsAndTheWaitIsMeasured() throws Exception {
    try (KafkaProbe kafka = Neighbours.probe()) {
      UUID job = Neighbours.job(pool, "RUNNING", "api", PLAN);
      // No worker consumes: no scope_run row ever appears.
      io.restassured.RestAssured.get("/q/metrics")
          .then()
          .body(org.hamcrest.Matchers.containsString("autodoc_scopes_waiting_for_worker"));
      var failures =
          kafka.await(
              r -> r.topic().equals(Topics.SCOPE_COMPLETED) && r.key().equals(job.toString()),
              1,
              Duration.ofSeconds(60));
      List<ScopeRequested> dispatched =
          kafka
              .records(
                  r ->
                      r.topic().equals(Topics.SCOPE_REQUESTED)
                          && r.key().startsWith(job.toString()),
                  Duration.ofSeconds(1))
              .stream()
              .map(r -> (ScopeRequested) decode(r))
              .toList();
      assertThat(dispatched).extracting(ScopeRequested::attempt).containsExactly(2, 3);
      ScopeFailed failed = (ScopeFailed) decode(failures.getFirst());
      assertThat(failed.error().reason()).isEqualTo(Reason.SCOPE_TIMED_OUT);
      assertThat(failed.error().message())
          .contains("no worker took attempt 3")
          .contains("autodoc.reconciler.unclaimed-after")
          .contains("are any workers consuming autodoc.scope.requested?");
    }
  }

  private static double gauge(String metrics, String name) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .max()
        .orElse(-1);
  }

  @Test
  void aWorkerThatTakesTheNewAttemptAndHeartbeatsIsLeftAlone() throws Exception {
    try (KafkaProbe kafka = Neighbours.probe()) {
      UUID job = Neighbours.job(pool, "RUNNING", "api", null);
      Neighbours.running(pool, job, "api", 1, "worker-a-1-abcdef", 60);
      kafka.await(
          r -> r.topic().equals(Topics.SCOPE_REQUESTED) && r.key().startsWith(job.toString()),
          1,
          Duration.ofSeconds(30));
      // A worker takes attempt 2 over and keeps its heartbeat fresh.
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < until) {
        Neighbours.running(pool, job, "api", 2, "worker-b-2-abcdef", 0);
        Thread.sleep(300);
      }
      var all =
          kafka.records(
              r ->
                  (r.topic().equals(Topics.SCOPE_REQUESTED)
                          || r.topic().equals(Topics.SCOPE_COMPLETED))
                      && r.key().startsWith(job.toString()),
              Duration.ofSeconds(1));
      assertThat(all).hasSize(1);
      // A full run's scope has no baseline.
      assertThat(((ScopeRequested) decode(all.getFirst())).baseline()).isNull();
    }
  }

  @Test
  void scopesOfJobsThatAreNotRunningAndScopesAlreadyReportedAreNotTouched() {
    try (KafkaProbe kafka = Neighbours.probe()) {
      UUID cancelled = Neighbours.job(pool, "CANCELLED", "api", null);
      Neighbours.running(pool, cancelled, "api", 1, "worker-a-1-abcdef", 60);
      UUID reported = Neighbours.job(pool, "RUNNING", "api", null);
      Neighbours.running(pool, reported, "api", 1, "worker-a-1-abcdef", 60);
      pool.preparedQuery("update orchestrator.job_scope set status = 'SUCCEEDED' where job_id = $1")
          .execute(Tuple.of(reported))
          .await()
          .indefinitely();
      assertThat(
              kafka.records(
                  r ->
                      r.key() != null
                          && (r.key().startsWith(cancelled.toString())
                              || r.key().startsWith(reported.toString())),
                  Duration.ofSeconds(4)))
          .isEmpty();
    }
  }

  @Test
  void replicasCheckingAtOnceDispatchEachAttemptOnce() throws Exception {
    try (KafkaProbe kafka = Neighbours.probe()) {
      var pool8 = Executors.newFixedThreadPool(8);
      UUID job;
      try {
        job = Neighbours.job(pool, "RUNNING", "api", null);
        Neighbours.running(pool, job, "api", 1, "worker-a-1-abcdef", 60);
        // Eight passes at once, besides the scheduled one: one decision for attempt 2.
        List<Callable<Integer>> passes =
            java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> (Callable<Integer>) staleScopes::reconcile)
                .toList();
        pool8.invokeAll(passes);
      } finally {
        pool8.shutdown();
      }
      var requests =
          kafka.records(
              r ->
                  r.topic().equals(Topics.SCOPE_REQUESTED)
                      && r.key().startsWith(job.toString())
                      && ((ScopeRequested) decode(r)).attempt() == 2,
              Duration.ofSeconds(3));
      assertThat(requests).hasSize(1);
      assertThat(
              pool.preparedQuery(
                      "select count(*) from reconciler.redispatch where job_id = $1 and attempt = 2")
                  .execute(Tuple.of(job))
                  .await()
                  .indefinitely()
                  .iterator()
                  .next()
                  .getLong(0))
          .isEqualTo(1);
    }
  }

  @Test
  void aJobStuckPlanningIsNudgedOnceWithItsOwnRequest() {
    try (KafkaProbe kafka = Neighbours.probe()) {
      UUID job = Neighbours.job(pool, "PLANNING", "api", null);
      var nudges =
          kafka.await(
              r -> r.topic().equals(Topics.JOB_REQUESTED) && jobOf(r).equals(job),
              1,
              Duration.ofSeconds(30));
      JobRequested nudge = (JobRequested) decode(nudges.getFirst());
      assertThat(nudge.repository()).isEqualTo("file:///srv/repo");
      assertThat(
              kafka.records(
                  r -> r.topic().equals(Topics.JOB_REQUESTED) && jobOf(r).equals(job),
                  Duration.ofSeconds(3)))
          .hasSize(1);
    }
  }

  private static UUID jobOf(ConsumerRecord<String, String> record) {
    return decode(record).jobId();
  }

  private static AutodocEvent decode(ConsumerRecord<String, String> record) {
    return EventCodec.decode(record.topic(), KafkaProbe.header(record, "ce_type"), record.value());
  }
}
