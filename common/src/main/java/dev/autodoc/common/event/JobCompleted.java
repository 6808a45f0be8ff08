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
    String baselineSha,
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

  /** The job's quality report, built from its scopes' summaries. */
  public QualityReport quality() {
    return quality(scopes);
  }

  /** The LLM tokens of every scope together. */
  public TokenUsage tokens() {
    return tokens(scopes);
  }

  /** The quality report of these scopes. */
  public static QualityReport quality(List<ScopeResult> scopes) {
    return QualityReport.of(scopes, ScopeResult::path, ScopeResult::quality, ScopeResult::attempt);
  }

  /** The LLM tokens of these scopes together. */
  public static TokenUsage tokens(List<ScopeResult> scopes) {
    return TokenUsage.sum(scopes.stream().map(ScopeResult::tokens));
  }

  /**
   * How one scope of the job ended; quality and tokens are those of its pages, absent when the
   * scope produced none.
   */
  public record ScopeResult(
      String path,
      ScopeStatus status,
      int attempt,
      ErrorReport error,
      QualitySummary quality,
      TokenUsage tokens) {
    public ScopeResult(String path, ScopeStatus status, int attempt, ErrorReport error) {
      this(path, status, attempt, error, null, null);
    }
  }
}
