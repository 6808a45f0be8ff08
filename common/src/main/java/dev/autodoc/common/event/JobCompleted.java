package dev.autodoc.common.event;

import dev.autodoc.common.error.ErrorReport;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job reached its end state. Emitted exactly once per job. */
public record JobCompleted(
    UUID eventId,
    UUID jobId,
    Instant occurredAt,
    int schemaVersion,
    String repositoryId,
    String repository,
    JobStatus status,
    String commitSha,
    List<ScopeResult> scopes,
    ErrorReport error,
    PullRequest pullRequest,
    String callbackUrl)
    implements AutodocEvent {

  public JobCompleted {
    Require.present(eventId, "eventId");
    Require.present(jobId, "jobId");
    Require.present(occurredAt, "occurredAt");
    Require.schemaVersion(schemaVersion);
    Require.text(repositoryId, "repositoryId");
    Require.text(repository, "repository");
    Require.present(status, "status");
    if (!status.isFinal()) {
      throw new IllegalArgumentException("field 'status' must be an end state, was " + status);
    }
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }

  @Override
  public String key() {
    return jobId.toString();
  }

  /** How one scope of the job ended. */
  public record ScopeResult(String path, ScopeStatus status, int attempt, ErrorReport error) {}
}
