package dev.autodoc.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.JobMode;
import dev.autodoc.common.event.JobRequested;
import dev.autodoc.common.messaging.Topics;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Repository schedules, with the orchestrator played by rows in its schedule and job tables. The
 * test profile checks every 300 ms, so the reconciler's own schedule fires too while a test runs.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class SchedulesIT {
  @Inject Pool pool;
  @Inject Schedules schedules;

  @BeforeEach
  void neighbours() {
    Neighbours.migrate();
  }

  @Test
  void aDueTimeFiresOnceAcrossConcurrentPassesAsAnIncrementalJobOfTheBranch() throws Exception {
    String repository = "repo-" + UUID.randomUUID();
    Instant since = tenSecondsAligned().minusSeconds(20);
    schedule(repository, "*/5 * * * * *", "UTC", "release", since);
    // A due time in the past that the background passes (which use the clock) never reach.
    Instant now = since.plusSeconds(7);
    try (KafkaProbe kafka = Neighbours.probe()) {
      var executor = Executors.newFixedThreadPool(8);
      int requested = 0;
      try {
        List<Callable<Integer>> passes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          passes.add(() -> schedules.fire(now));
        }
        for (Future<Integer> pass : executor.invokeAll(passes)) {
          requested += pass.get();
        }
      } finally {
        executor.shutdownNow();
      }
      assertThat(requested).isEqualTo(1);
      List<Row> runs = runs(repository);
      Instant due = since.plusSeconds(5);
      assertThat(runs).extracting(r -> r.getOffsetDateTime("due_at").toInstant()).contains(due);
      UUID job =
          runs.stream()
              .filter(r -> r.getOffsetDateTime("due_at").toInstant().equals(due))
              .findFirst()
              .orElseThrow()
              .getUUID("job_id");

      List<ConsumerRecord<String, String>> published =
          kafka.await(
              r -> r.topic().equals(Topics.JOB_REQUESTED) && r.value().contains(job.toString()),
              1,
              Duration.ofSeconds(20));
      JobRequested request = decode(published.getFirst());
      assertThat(request.jobId()).isEqualTo(job);
      assertThat(request.repository()).isEqualTo("file:///srv/" + repository);
      assertThat(request.branch()).isEqualTo("release");
      assertThat(request.mode()).isEqualTo(JobMode.INCREMENTAL);
      assertThat(request.force()).isFalse();
      assertThat(KafkaProbe.header(published.getFirst(), "ce_source"))
          .isEqualTo("/autodoc/reconciler");

      // The background passes fire the schedule every 5 s of the clock; no due time twice.
      List<ConsumerRecord<String, String>> all =
          kafka.await(
              r -> r.topic().equals(Topics.JOB_REQUESTED) && r.value().contains(repository),
              2,
              Duration.ofSeconds(20));
      deleteSchedule(repository);
      List<String> jobIds =
          kafka
              .records(
                  r -> r.topic().equals(Topics.JOB_REQUESTED) && r.value().contains(repository),
                  Duration.ofSeconds(2))
              .stream()
              .map(r -> decode(r).jobId().toString())
              .toList();
      assertThat(jobIds).hasSizeGreaterThanOrEqualTo(all.size()).doesNotHaveDuplicates();
      assertThat(runs(repository))
          .extracting(r -> r.getUUID("job_id").toString())
          .containsExactlyInAnyOrderElementsOf(jobIds);
    }
  }

  @Test
  void aScheduleDoesNotFireForTimesBeforeItWasSetNorWhileAJobOfTheRepositoryWaits() {
    String early = "repo-" + UUID.randomUUID();
    // Due every New Year's midnight; set just now, so its last due time predates it.
    schedule(early, "0 0 1 1 *", "Europe/Berlin", null, Instant.now());
    String busy = "repo-" + UUID.randomUUID();
    Instant since = tenSecondsAligned().minusSeconds(30);
    schedule(busy, "*/10 * * * * *", "UTC", null, since);
    UUID waiting = Neighbours.job(pool, "QUEUED", "api", "{}");
    pool.preparedQuery("update orchestrator.job set repository_id = $1 where id = $2")
        .execute(Tuple.of(busy, waiting))
        .await()
        .indefinitely();
    try {
      assertThat(schedules.fire(since.plusSeconds(12))).isZero();
      assertThat(runs(early)).isEmpty();
      // The due time is recorded without a job, and so are those the background passes reached.
      assertThat(runs(busy))
          .extracting(r -> r.getOffsetDateTime("due_at").toInstant())
          .contains(since.plusSeconds(10));
      assertThat(runs(busy)).allSatisfy(r -> assertThat(r.getUUID("job_id")).isNull());
      assertThat(schedules.fire(since.plusSeconds(15))).isZero();
    } finally {
      deleteSchedule(early);
      deleteSchedule(busy);
    }
  }

  /** The last whole ten seconds of the clock, where every-5 s and every-10 s schedules fall due. */
  private static Instant tenSecondsAligned() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return now.minusSeconds(now.getEpochSecond() % 10);
  }

  private static JobRequested decode(ConsumerRecord<String, String> record) {
    return (JobRequested)
        EventCodec.decode(record.topic(), KafkaProbe.header(record, "ce_type"), record.value());
  }

  private void schedule(
      String repository, String cron, String zone, String branch, Instant updatedAt) {
    pool.preparedQuery(
            "insert into orchestrator.repository_schedule (repository_id, repository_url, branch,"
                + " cron, time_zone, updated_at) values ($1, $2, $3, $4, $5, $6)")
        .execute(
            Tuple.from(
                java.util.Arrays.asList(
                    repository,
                    "file:///srv/" + repository,
                    branch,
                    cron,
                    zone,
                    OffsetDateTime.ofInstant(updatedAt, ZoneOffset.UTC))))
        .await()
        .indefinitely();
  }

  private void deleteSchedule(String repository) {
    pool.preparedQuery("delete from orchestrator.repository_schedule where repository_id = $1")
        .execute(Tuple.of(repository))
        .await()
        .indefinitely();
  }

  private List<Row> runs(String repository) {
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery(
            "select due_at, job_id from reconciler.schedule_run where repository_id = $1")
        .execute(Tuple.of(repository))
        .await()
        .indefinitely()
        .forEach(rows::add);
    return rows;
  }
}
