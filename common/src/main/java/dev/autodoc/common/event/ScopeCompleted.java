package dev.autodoc.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A worker finished a scope: what it found, how good its pages are, the LLM tokens it used (absent
 * from workers that do not generate pages), and how long it took.
 */
public record ScopeCompleted(
    UUID eventId,
    UUID jobId,
    Instant occurredAt,
    int schemaVersion,
    String scopePath,
    int attempt,
    String workerId,
    ScanInventory inventory,
    QualitySummary quality,
    TokenUsage tokens,
    long durationMillis)
    implements ScopeOutcome {

  public ScopeCompleted {
    Require.present(eventId, "eventId");
    Require.present(jobId, "jobId");
    Require.present(occurredAt, "occurredAt");
    Require.schemaVersion(schemaVersion);
    Require.present(scopePath, "scopePath");
    Require.positive(attempt, "attempt");
    Require.text(workerId, "workerId");
    Require.present(inventory, "inventory");
  }
}
