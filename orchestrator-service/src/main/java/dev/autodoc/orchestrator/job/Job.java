package dev.autodoc.orchestrator.job;

import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.event.JobMode;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.PullRequest;
import java.time.Instant;
import java.util.UUID;

/**
 * A documentation job as the orchestrator keeps it. {@code mode} is null until planning decides a
 * mode the request left open; {@code plan} and {@code baselineSha} are set by planning. {@code
 * traceParent} is the trace context of the request that made it, which its later work continues.
 */
public record Job(
    UUID id,
    String repositoryId,
    String repositoryUrl,
    String branch,
    JobMode mode,
    boolean force,
    boolean dryRun,
    String callbackUrl,
    JobStatus status,
    String commitSha,
    ErrorReport error,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt,
    PullRequest pullRequest,
    String baselineSha,
    dev.autodoc.orchestrator.plan.JobPlan plan,
    String traceParent) {

  /** The id of the job's trace (the W3C traceparent's second field); null if it has none. */
  public String traceId() {
    return traceParent == null || traceParent.length() < 35 ? null : traceParent.substring(3, 35);
  }
}
