package dev.autodoc.orchestrator.plan;

import dev.autodoc.common.event.JobMode;
import java.util.List;
import java.util.UUID;

/**
 * What a job does, decided at planning and kept with the job: the mode it ran in, the commit it
 * documents, its baseline (the oldest commit its scopes build on; null when none does), each scope
 * with its action and reason, the scopes the repository no longer has, and the LLM tokens the work
 * is estimated to take. A dry run stops here.
 */
public record JobPlan(
    JobMode mode,
    String commitSha,
    String baselineSha,
    List<ChangePlanner.ScopePlan> scopes,
    List<RemovedScope> removedScopes,
    long estimatedTokens) {
  public JobPlan {
    scopes = List.copyOf(scopes);
    removedScopes = List.copyOf(removedScopes);
  }

  /** A scope documented before that the commit no longer has; its pages leave the docs. */
  public record RemovedScope(String scope, UUID lastJob) {}
}
