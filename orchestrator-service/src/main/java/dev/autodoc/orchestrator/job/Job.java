package dev.autodoc.orchestrator.job;

import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.event.JobMode;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.PullRequest;
import java.time.Instant;
import java.util.UUID;

/** A documentation job as the orchestrator keeps it. */
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
    PullRequest pullRequest) {}
