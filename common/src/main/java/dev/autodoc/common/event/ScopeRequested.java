package dev.autodoc.common.event;

import dev.autodoc.common.scope.ScopeConfig;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Asks a scope worker to document one scope of a job at a commit. Carries everything the worker
 * needs, so it never reads the orchestrator's disk: the repository URL, the commit, the resolved
 * scope configuration and the directories of nested scopes that this scope leaves out; for an
 * incremental run, the {@link Baseline} it starts from.
 */
public record ScopeRequested(
    UUID eventId,
    UUID jobId,
    Instant occurredAt,
    int schemaVersion,
    String repositoryId,
    String repositoryUrl,
    String commitSha,
    String scopePath,
    ScopeConfig config,
    List<String> excludedPaths,
    int attempt,
    Baseline baseline)
    implements AutodocEvent {

  /**
   * What an incremental run of the scope starts from: the job whose pages are the scope's current
   * documentation, that job's commit, and the scope-relative files changed since (the
   * orchestrator's compare). The worker keeps every earlier page whose sources are the same and
   * unchanged, and regenerates the rest. {@code restructure} says the structure must be planned
   * again (files were added, removed or renamed); otherwise the earlier structure stands. A run
   * without a baseline documents the scope in full.
   */
  public record Baseline(
      UUID jobId, String commitSha, boolean restructure, List<String> changedFiles) {
    public Baseline {
      Require.present(jobId, "baseline.jobId");
      Require.text(commitSha, "baseline.commitSha");
      changedFiles = changedFiles == null ? List.of() : List.copyOf(changedFiles);
    }

    /**
     * The baseline of a scope planned with the action ({@code FULL}, {@code SKIP}, {@code
     * RESTRUCTURE} or {@code PAGES}): none for a full run or a skipped scope.
     */
    public static Baseline of(
        String action, UUID jobId, String commitSha, List<String> changedFiles) {
      return switch (action) {
        case "RESTRUCTURE", "PAGES" ->
            new Baseline(jobId, commitSha, action.equals("RESTRUCTURE"), changedFiles);
        default -> null;
      };
    }
  }

  /** A full run: no baseline. */
  public ScopeRequested(
      UUID eventId,
      UUID jobId,
      Instant occurredAt,
      int schemaVersion,
      String repositoryId,
      String repositoryUrl,
      String commitSha,
      String scopePath,
      ScopeConfig config,
      List<String> excludedPaths,
      int attempt) {
    this(
        eventId,
        jobId,
        occurredAt,
        schemaVersion,
        repositoryId,
        repositoryUrl,
        commitSha,
        scopePath,
        config,
        excludedPaths,
        attempt,
        null);
  }

  public ScopeRequested {
    Require.present(eventId, "eventId");
    Require.present(jobId, "jobId");
    Require.present(occurredAt, "occurredAt");
    Require.schemaVersion(schemaVersion);
    Require.text(repositoryId, "repositoryId");
    Require.text(repositoryUrl, "repositoryUrl");
    Require.text(commitSha, "commitSha");
    Require.present(scopePath, "scopePath");
    Require.present(config, "config");
    excludedPaths = excludedPaths == null ? List.of() : List.copyOf(excludedPaths);
    Require.positive(attempt, "attempt");
  }

  @Override
  public String key() {
    return jobId + ":" + scopePath;
  }
}
