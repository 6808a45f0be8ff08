package dev.autodoc.orchestrator.git;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The documentation a job proposes: files to write (repository-relative path to content) and files
 * to remove, on top of the job's commit of its branch ({@code baseBranch} null: the repository's
 * default branch).
 */
public record Proposal(
    UUID jobId,
    String baseBranch,
    String baseCommit,
    String title,
    String body,
    Map<String, String> files,
    Set<String> removed) {
  public Proposal {
    files = Map.copyOf(files);
    removed = Set.copyOf(removed);
  }

  public String branch() {
    return GitProvider.BRANCH_PREFIX + jobId;
  }
}
