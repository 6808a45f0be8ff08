package dev.autodoc.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * Asks for a documentation job. Published by the REST gateway, the scheduler, or any external
 * producer; keyed by repository so requests for one repository stay in order.
 */
public record JobRequested(
    UUID eventId,
    UUID jobId,
    Instant occurredAt,
    int schemaVersion,
    String repository,
    String branch,
    JobMode mode,
    boolean force,
    boolean dryRun,
    String callbackUrl)
    implements AutodocEvent {

  public JobRequested {
    Require.present(eventId, "eventId");
    Require.present(jobId, "jobId");
    Require.present(occurredAt, "occurredAt");
    Require.schemaVersion(schemaVersion);
    Require.text(repository, "repository");
  }

  @Override
  public String key() {
    return repository;
  }
}
