package dev.autodoc.common.event;

import dev.autodoc.common.error.ErrorReport;
import java.time.Instant;
import java.util.UUID;

/** A scope ended without documentation; the error says why and whether a retry could help. */
public record ScopeFailed(
    UUID eventId,
    UUID jobId,
    Instant occurredAt,
    int schemaVersion,
    String scopePath,
    int attempt,
    String workerId,
    ErrorReport error,
    long durationMillis)
    implements ScopeOutcome {

  public ScopeFailed {
    Require.present(eventId, "eventId");
    Require.present(jobId, "jobId");
    Require.present(occurredAt, "occurredAt");
    Require.schemaVersion(schemaVersion);
    Require.present(scopePath, "scopePath");
    Require.positive(attempt, "attempt");
    Require.text(workerId, "workerId");
    Require.present(error, "error");
  }
}
