package dev.autodoc.worker;

import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.ScopeOutcome;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.stack.StackEndpoints;
import dev.autodoc.local.testing.KafkaProbe;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the worker's tests do from outside: send requests, await outcomes, read its tables. */
final class WorkerProbe {
  private WorkerProbe() {}

  static void publish(KafkaProbe kafka, AutodocEvent event) {
    kafka.publish(event);
  }

  static Predicate<ConsumerRecord<String, String>> outcomeOf(ScopeRequested request) {
    return r ->
        r.topic().equals(Topics.SCOPE_COMPLETED) && r.key().equals(request.jobId().toString());
  }

  static List<ScopeOutcome> awaitOutcomes(KafkaProbe kafka, ScopeRequested request, int count) {
    return kafka.await(outcomeOf(request), count, Duration.ofSeconds(30)).stream()
        .map(
            r ->
                (ScopeOutcome)
                    EventCodec.decode(r.topic(), KafkaProbe.header(r, "ce_type"), r.value()))
        .toList();
  }

  /** Waits until every chunk of the request's run has its vector. */
  static void awaitIndexed(ScopeRequested request) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(
            () -> {
              try (Connection db = db()) {
                return query(
                        db,
                        "select count(*) from worker.chunk c where c.job_id = ? and not exists"
                            + " (select 1 from worker.chunk_vector v where v.model = c.model"
                            + " and v.model_version = c.model_version and v.digest = c.digest)",
                        request.jobId())
                    .equals(List.of("0"));
              }
            });
  }

  /** The first column of every row {@code sql} returns for {@code jobId} (its only parameter). */
  static List<String> query(Connection db, String sql, UUID jobId) throws SQLException {
    try (var st = db.prepareStatement(sql)) {
      st.setObject(1, jobId);
      var rs = st.executeQuery();
      var values = new java.util.ArrayList<String>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }

  static StackEndpoints endpoints() {
    return LocalStackResource.endpoints();
  }

  static Connection db() throws SQLException {
    return DriverManager.getConnection(
        endpoints().jdbcUrl(), endpoints().postgresUser(), endpoints().postgresPassword());
  }
}
