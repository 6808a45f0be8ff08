package dev.autodoc.callback;

import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.event.JobCompleted;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.event.QualityReport;
import dev.autodoc.common.event.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The body of a callback: how the job ended, everything a receiver needs without calling back. */
public record CallbackPayload(
    String event,
    UUID deliveryId,
    UUID jobId,
    JobStatus status,
    Repository repository,
    String commitSha,
    String baselineSha,
    PullRequest pullRequest,
    List<JobCompleted.ScopeResult> scopes,
    QualityReport quality,
    TokenUsage tokens,
    ErrorReport error,
    Instant completedAt) {

  public static final String EVENT = "job.completed";

  public record Repository(String id, String url) {}

  public static CallbackPayload of(UUID deliveryId, JobCompleted job) {
    return new CallbackPayload(
        EVENT,
        deliveryId,
        job.jobId(),
        job.status(),
        new Repository(job.repositoryId(), job.repository()),
        job.commitSha(),
        job.baselineSha(),
        job.pullRequest(),
        job.scopes(),
        job.quality(),
        job.tokens(),
        job.error(),
        job.occurredAt());
  }
}
