package dev.autodoc.orchestrator.job;

import dev.autodoc.common.event.JobMode;
import dev.autodoc.common.repo.RepositoryRef;
import java.util.UUID;

/** A validated request for a job, from the API or from a JobRequested event. */
public record NewJob(
    UUID id,
    RepositoryRef repository,
    String branch,
    JobMode mode,
    boolean force,
    boolean dryRun,
    String callbackUrl) {}
