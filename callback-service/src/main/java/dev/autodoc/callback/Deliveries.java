package dev.autodoc.callback;

import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.JobCompleted;
import dev.autodoc.support.inbox.ProcessedEvents;
import dev.autodoc.support.tracing.Traces;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The deliveries and their attempts in PostgreSQL. A delivery is made once per job (its job id is
 * unique), claimed by one replica at a time with a lease, and moved on only by the replica whose
 * attempt number matches, so a replica that lost its lease cannot record over another's attempt.
 */
@ApplicationScoped
public class Deliveries {
  static final String CONSUMER = "callback";

  private final Pool pool;
  private final ProcessedEvents processed;

  Deliveries(Pool pool, ProcessedEvents processed) {
    this.pool = pool;
    this.processed = processed;
  }

  public enum Status {
    PENDING,
    DELIVERED,
    FAILED
  }

  /** A delivery a replica has claimed for its next attempt. */
  public record Claimed(
      UUID id, UUID jobId, String url, String payload, int attempts, String traceParent) {}

  /** One attempt's result and what it means for the delivery. */
  public record Attempt(
      int number,
      Instant startedAt,
      Integer statusCode,
      long latencyMillis,
      String error,
      Status next,
      Duration delay) {}

  /**
   * Makes the job's delivery, unless it had one; true when a delivery is waiting to be sent. A URL
   * that is not an http(s) URL at all is recorded as a failed delivery with the reason.
   */
  public Uni<Boolean> accept(JobCompleted job) {
    return pool.withTransaction(
        tx ->
            processed
                .firstTime(tx, job.eventId(), CONSUMER)
                .chain(
                    first -> {
                      if (!first || job.callbackUrl() == null || job.callbackUrl().isBlank()) {
                        return Uni.createFrom().item(false);
                      }
                      UUID id = UUID.randomUUID();
                      String payload = EventCodec.toJson(CallbackPayload.of(id, job));
                      String refusal = null;
                      try {
                        Destinations.parse(job.callbackUrl());
                      } catch (Destinations.Refused e) {
                        refusal = e.getMessage();
                      }
                      Status status = refusal == null ? Status.PENDING : Status.FAILED;
                      return tx.preparedQuery(
                              "insert into callback.delivery (id, job_id, url, payload, status,"
                                  + " error, trace_parent, finished_at) values ($1, $2, $3, $4, $5,"
                                  + " $6, $7, case when $5 = 'PENDING' then null else now() end)"
                                  + " on conflict (job_id) do nothing")
                          .execute(
                              Tuple.from(
                                  new Object[] {
                                    id,
                                    job.jobId(),
                                    job.callbackUrl(),
                                    payload,
                                    status.name(),
                                    refusal,
                                    Traces.currentTraceParent()
                                  }))
                          .map(rows -> rows.rowCount() == 1 && status == Status.PENDING);
                    }));
  }

  /** Claims up to {@code limit} due deliveries for {@code lease}. */
  public Uni<List<Claimed>> claimDue(int limit, Duration lease) {
    return pool.preparedQuery(
            "update callback.delivery set claimed_until = now() + make_interval(secs => $2)"
                + " where id in (select id from callback.delivery where status = 'PENDING'"
                + " and next_attempt_at <= now()"
                + " and (claimed_until is null or claimed_until < now())"
                + " order by next_attempt_at limit $1 for update skip locked)"
                + " returning id, job_id, url, payload, attempts, trace_parent")
        .execute(Tuple.of(limit, lease.toMillis() / 1000.0))
        .map(
            rows -> {
              var claimed = new ArrayList<Claimed>();
              for (Row r : rows) {
                claimed.add(
                    new Claimed(
                        r.getUUID("id"),
                        r.getUUID("job_id"),
                        r.getString("url"),
                        r.getString("payload"),
                        r.getInteger("attempts"),
                        r.getString("trace_parent")));
              }
              return List.copyOf(claimed);
            });
  }

  /**
   * Records an attempt and moves the delivery on; false when the delivery had moved on already (a
   * replica took it over after this one's lease ran out). A refusal before any request was sent is
   * recorded on the delivery only.
   */
  public Uni<Boolean> record(Claimed delivery, Attempt attempt, boolean sent) {
    return pool.withTransaction(
        tx -> {
          Uni<Void> attemptRow =
              sent
                  ? tx.preparedQuery(
                          "insert into callback.delivery_attempt (delivery_id, attempt, started_at,"
                              + " status_code, latency_ms, error) values ($1, $2, $3, $4, $5, $6)"
                              + " on conflict do nothing")
                      .execute(
                          Tuple.from(
                              Arrays.asList(
                                  delivery.id(),
                                  attempt.number(),
                                  attempt.startedAt().atOffset(ZoneOffset.UTC),
                                  attempt.statusCode(),
                                  attempt.latencyMillis(),
                                  attempt.error())))
                      .replaceWithVoid()
                  : Uni.createFrom().voidItem();
          return attemptRow
              .chain(
                  () ->
                      tx.preparedQuery(
                              "update callback.delivery set attempts = $2, status = $3,"
                                  + " error = $4, claimed_until = null,"
                                  + " next_attempt_at = now() + make_interval(secs => $5),"
                                  + " finished_at = case when $3 = 'PENDING' then null else now()"
                                  + " end where id = $1 and attempts = $6 and status = 'PENDING'")
                          .execute(
                              Tuple.from(
                                  Arrays.asList(
                                      delivery.id(),
                                      sent ? attempt.number() : delivery.attempts(),
                                      attempt.next().name(),
                                      attempt.error(),
                                      attempt.delay().toMillis() / 1000.0,
                                      delivery.attempts()))))
              .map(rows -> rows.rowCount() == 1);
        });
  }
}
