package dev.autodoc.orchestrator.job;

import dev.autodoc.common.event.JobProgress;
import dev.autodoc.support.outbox.Outbox;
import dev.autodoc.support.tracing.Traces;
import dev.autodoc.support.tracing.Tracing;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The orchestrator's own steps of a job (plan, fan-out, finalize): written into the job's event log
 * at once, and published on {@code autodoc.job.progress} for anyone else; the copy the orchestrator
 * reads back from Kafka is recognised by its event id and not recorded twice.
 */
@ApplicationScoped
public class JobSteps {
  public static final String PLAN = "plan";
  public static final String FAN_OUT = "fan-out";
  public static final String FINALIZE = "finalize";

  private final JobEvents events;
  private final Outbox outbox;
  private final Pool pool;
  private final JobRepository jobs;
  private final Tracing tracing;

  JobSteps(JobEvents events, Outbox outbox, Pool pool, JobRepository jobs, Tracing tracing) {
    this.events = events;
    this.outbox = outbox;
    this.pool = pool;
    this.jobs = jobs;
    this.tracing = tracing;
  }

  /**
   * Runs a step in the job's trace: it runs later than the request that made the job, from the
   * admission loop or on another replica, so its parent comes from the job's row.
   */
  public Uni<Void> traced(UUID jobId, String step, Supplier<Uni<Void>> work) {
    return jobs.traceParent(jobId)
        .chain(
            parent ->
                tracing.inSpan(
                    Traces.parent(parent),
                    tracer ->
                        tracer.spanBuilder(step).setAttribute(Traces.JOB_ID, jobId.toString()),
                    work));
  }

  /** Records the step in the transaction; the caller wakes the outbox after the commit. */
  public Uni<Void> record(SqlConnection tx, JobProgress progress) {
    return events.steps(tx, List.of(progress)).chain(() -> outbox.append(tx, progress));
  }

  public Uni<Void> record(
      SqlConnection tx, UUID jobId, String step, JobProgress.Phase phase, String message) {
    return record(tx, JobEvents.progress(jobId, step, phase, Instant.now(), message));
  }

  /** Records the step in a transaction of its own. */
  public Uni<Void> record(UUID jobId, String step, JobProgress.Phase phase) {
    return pool.withTransaction(tx -> record(tx, jobId, step, phase, null)).invoke(outbox::wake);
  }
}
