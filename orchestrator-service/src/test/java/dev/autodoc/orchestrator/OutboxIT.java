package dev.autodoc.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodoc.common.event.JobProgress;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.testing.KafkaProbe;
import dev.autodoc.support.outbox.Outbox;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An event exists exactly when the transaction that wrote it committed. */
@QuarkusTest
class OutboxIT {
  @Inject Outbox outbox;
  @Inject Pool pool;

  @Test
  void anEventWrittenInARolledBackTransactionIsNeverPublishedAndACommittedOneIsPublishedOnce() {
    try (KafkaProbe kafka = OrchestratorTesting.probe()) {
      JobProgress rolledBack = progress();
      JobProgress committed = progress();

      assertThatThrownBy(
              () ->
                  pool.withTransaction(
                          tx ->
                              outbox
                                  .append(tx, rolledBack)
                                  .chain(
                                      () ->
                                          Uni.createFrom()
                                              .failure(
                                                  new IllegalStateException(
                                                      "the state change failed"))))
                      .await()
                      .atMost(Duration.ofSeconds(10)))
          .hasMessage("the state change failed");
      pool.withTransaction(tx -> outbox.append(tx, committed))
          .await()
          .atMost(Duration.ofSeconds(10));
      outbox.wake();

      kafka.await(
          r ->
              r.topic().equals(Topics.JOB_PROGRESS) && r.key().equals(committed.jobId().toString()),
          1,
          Duration.ofSeconds(20));
      assertThat(
              kafka.records(
                  r -> r.key() != null && r.key().equals(committed.jobId().toString()),
                  Duration.ofSeconds(2)))
          .hasSize(1);
      assertThat(
              kafka.records(
                  r -> r.key() != null && r.key().equals(rolledBack.jobId().toString()),
                  Duration.ZERO))
          .isEmpty();
      // Published rows leave the outbox.
      long left =
          pool.preparedQuery(
                  "select count(*) as n from orchestrator.outbox where event_id = any($1)")
              .execute(Tuple.of(new UUID[] {committed.eventId(), rolledBack.eventId()}))
              .await()
              .atMost(Duration.ofSeconds(10))
              .iterator()
              .next()
              .getLong("n");
      assertThat(left).isZero();
    }
  }

  private static JobProgress progress() {
    return new JobProgress(
        UUID.randomUUID(),
        UUID.randomUUID(),
        Instant.now(),
        1,
        null,
        "outbox-test",
        JobProgress.Phase.STARTED,
        null,
        null,
        null,
        null,
        null);
  }
}
