package dev.autodoc.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A step of a job started or finished, with counts where the step has them. A scope's steps carry
 * the attempt and the worker that runs them; the orchestrator's own steps (plan, fan-out, finalize)
 * have no scope. Informational: a lost progress event changes no state, only the job's timeline.
 */
public record JobProgress(
    UUID eventId,
    UUID jobId,
    Instant occurredAt,
    int schemaVersion,
    String scopePath,
    String step,
    Phase phase,
    Integer done,
    Integer total,
    String message,
    Integer attempt,
    String workerId)
    implements AutodocEvent {

  public enum Phase {
    STARTED,
    FINISHED,
    FAILED
  }

  public JobProgress {
    Require.present(eventId, "eventId");
    Require.present(jobId, "jobId");
    Require.present(occurredAt, "occurredAt");
    Require.schemaVersion(schemaVersion);
    Require.text(step, "step");
    Require.present(phase, "phase");
  }

  @Override
  public String key() {
    return jobId.toString();
  }
}
