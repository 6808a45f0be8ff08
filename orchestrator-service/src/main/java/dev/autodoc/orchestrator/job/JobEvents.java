package dev.autodoc.orchestrator.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobProgress;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.ScopeStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A job's event log (table {@code job_event}): the steps of its scopes and of the orchestrator, and
 * the statuses of its scopes and of the job, each numbered per job in commit order. It is what the
 * step timeline is read from and what {@code GET /jobs/{id}/events} streams and replays.
 */
@ApplicationScoped
public class JobEvents {
  /** The PostgreSQL notification channel woken on every new event, with the job id. */
  public static final String CHANNEL = "autodoc_job_events";

  public enum Kind {
    /** A step started, finished or failed. */
    STEP,
    /** A scope reached an end status; carries how many of the job's scopes are done. */
    SCOPE,
    /** The job changed status. */
    JOB
  }

  /** One event as stored; {@code seq} is its id in the event stream. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record JobEvent(
      long seq,
      Kind kind,
      Instant at,
      String scope,
      String step,
      JobProgress.Phase phase,
      Integer attempt,
      String workerId,
      String status,
      Integer done,
      Integer total,
      String message) {

    /** The job's last event: nothing follows a final status. */
    public boolean ends() {
      return kind == Kind.JOB && JobStatus.valueOf(status).isFinal();
    }
  }

  private static final String INSERT =
      "with s as (update orchestrator.job set event_seq = event_seq + 1 where id = $1"
          + " returning event_seq)"
          + " insert into orchestrator.job_event (job_id, seq, event_id, kind, occurred_at,"
          + " scope_path, step, phase, attempt, worker_id, status, done, total, message)"
          + " select $1, s.event_seq, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 from s"
          + " on conflict (event_id) do nothing";

  /**
   * Records steps, in order, with one round trip. A progress event read again from Kafka is
   * recorded once (by its event id); one for a job this database does not hold is dropped.
   */
  public Uni<Void> steps(SqlClient client, List<JobProgress> progress) {
    if (progress.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> rows = new ArrayList<>(progress.size());
    for (JobProgress p : progress) {
      rows.add(tuple(p.jobId(), p.eventId(), stepOf(p)));
    }
    return client.preparedQuery(INSERT).executeBatch(rows).replaceWithVoid();
  }

  private static JobEvent stepOf(JobProgress progress) {
    return new JobEvent(
        0,
        Kind.STEP,
        progress.occurredAt(),
        progress.scopePath(),
        progress.step(),
        progress.phase(),
        progress.attempt(),
        progress.workerId(),
        null,
        progress.done(),
        progress.total(),
        progress.message());
  }

  /** Records a job's new status, in the transaction that moved it. */
  public Uni<Void> job(SqlClient tx, UUID jobId, JobStatus status) {
    return insert(
        tx,
        jobId,
        UUID.randomUUID(),
        new JobEvent(
            0,
            Kind.JOB,
            Instant.now(),
            null,
            null,
            null,
            null,
            null,
            status.name(),
            null,
            null,
            null));
  }

  /**
   * Records a scope's end status, in the transaction that stored it, with how many of the job's
   * scopes are done then.
   */
  public Uni<Void> scope(
      SqlClient tx,
      UUID jobId,
      String path,
      ScopeStatus status,
      int attempt,
      String workerId,
      String message) {
    return tx.preparedQuery(
            "select count(*) filter (where status in ('SUCCEEDED', 'FAILED')) as done,"
                + " count(*) as total from orchestrator.job_scope where job_id = $1")
        .execute(Tuple.of(jobId))
        .map(rows -> rows.iterator().next())
        .chain(
            counts ->
                insert(
                    tx,
                    jobId,
                    UUID.randomUUID(),
                    new JobEvent(
                        0,
                        Kind.SCOPE,
                        Instant.now(),
                        path,
                        null,
                        null,
                        attempt,
                        workerId,
                        status.name(),
                        counts.getLong("done").intValue(),
                        counts.getLong("total").intValue(),
                        message)));
  }

  /** The job's events after {@code seq}, oldest first, at most {@code limit}. */
  public Uni<List<JobEvent>> after(SqlClient client, UUID jobId, long seq, int limit) {
    return read(
        client,
        "where job_id = $1 and seq > $2 order by seq limit $3",
        Tuple.of(jobId, seq, limit));
  }

  /** The job's step events and its scopes' end statuses, oldest first: its timeline. */
  public Uni<List<JobEvent>> timeline(SqlClient client, UUID jobId) {
    return read(
        client, "where job_id = $1 and kind in ('STEP', 'SCOPE') order by seq", Tuple.of(jobId));
  }

  /** A progress event of the orchestrator's own, about the whole job. */
  public static JobProgress progress(
      UUID jobId, String step, JobProgress.Phase phase, Instant at, String message) {
    return new JobProgress(
        UUID.randomUUID(),
        jobId,
        at,
        AutodocEvent.SCHEMA_VERSION,
        null,
        step,
        phase,
        null,
        null,
        message,
        1,
        null);
  }

  private static Uni<List<JobEvent>> read(SqlClient client, String where, Tuple args) {
    return client
        .preparedQuery(
            "select seq, kind, occurred_at, scope_path, step, phase, attempt, worker_id, status,"
                + " done, total, message from orchestrator.job_event "
                + where)
        .execute(args)
        .map(
            rows -> {
              var events = new ArrayList<JobEvent>(rows.size());
              rows.forEach(r -> events.add(toEvent(r)));
              return events;
            });
  }

  private static JobEvent toEvent(Row r) {
    String phase = r.getString("phase");
    return new JobEvent(
        r.getLong("seq"),
        Kind.valueOf(r.getString("kind")),
        r.getOffsetDateTime("occurred_at").toInstant(),
        r.getString("scope_path"),
        r.getString("step"),
        phase == null ? null : JobProgress.Phase.valueOf(phase),
        r.getInteger("attempt"),
        r.getString("worker_id"),
        r.getString("status"),
        r.getInteger("done"),
        r.getInteger("total"),
        r.getString("message"));
  }

  /** Appends the event (its seq is given here) under the job's next number. */
  private static Uni<Void> insert(SqlClient client, UUID jobId, UUID eventId, JobEvent e) {
    return client.preparedQuery(INSERT).execute(tuple(jobId, eventId, e)).replaceWithVoid();
  }

  private static Tuple tuple(UUID jobId, UUID eventId, JobEvent e) {
    return Tuple.from(
        new Object[] {
          jobId,
          eventId,
          e.kind().name(),
          OffsetDateTime.ofInstant(e.at(), ZoneOffset.UTC),
          e.scope(),
          e.step(),
          e.phase() == null ? null : e.phase().name(),
          e.attempt(),
          e.workerId(),
          e.status(),
          e.done(),
          e.total(),
          e.message()
        });
  }
}
