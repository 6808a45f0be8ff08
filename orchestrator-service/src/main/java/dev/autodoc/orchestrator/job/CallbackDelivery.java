package dev.autodoc.orchestrator.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.autodoc.support.messaging.Failures;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The callback of a job, as the callback service recorded it: the delivery id receivers see, its
 * state, when the next attempt is due while it waits, and every attempt so far.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallbackDelivery(
    UUID deliveryId,
    String url,
    String status,
    String error,
    Instant nextAttemptAt,
    Instant finishedAt,
    List<Attempt> attempts) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Attempt(
      int attempt, Instant startedAt, Integer statusCode, long latencyMillis, String error) {}

  /**
   * The job's delivery; empty when it has none, or no callback service ran against this database.
   */
  static Uni<Optional<CallbackDelivery>> of(Pool pool, UUID jobId) {
    return pool.preparedQuery(
            "select d.id, d.url, d.status, d.error, d.next_attempt_at, d.finished_at, a.attempt,"
                + " a.started_at, a.status_code, a.latency_ms, a.error as attempt_error"
                + " from callback.delivery d left join callback.delivery_attempt a"
                + " on a.delivery_id = d.id where d.job_id = $1 order by a.attempt")
        .execute(Tuple.of(jobId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.<CallbackDelivery>empty();
              }
              Row first = rows.iterator().next();
              var attempts = new ArrayList<Attempt>();
              for (Row r : rows) {
                if (r.getInteger("attempt") != null) {
                  attempts.add(
                      new Attempt(
                          r.getInteger("attempt"),
                          instant(r, "started_at"),
                          r.getInteger("status_code"),
                          r.getLong("latency_ms"),
                          r.getString("attempt_error")));
                }
              }
              String status = first.getString("status");
              return Optional.of(
                  new CallbackDelivery(
                      first.getUUID("id"),
                      first.getString("url"),
                      status,
                      first.getString("error"),
                      status.equals("PENDING") ? instant(first, "next_attempt_at") : null,
                      instant(first, "finished_at"),
                      List.copyOf(attempts)));
            })
        .onFailure(Failures::isUndefinedTable)
        .recoverWithItem(Optional.empty());
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }
}
