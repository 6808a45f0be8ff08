package dev.autodoc.common.event;

import dev.autodoc.common.scope.ScopeConfig;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Asks a scope worker to document one scope of a job at a commit. Carries everything the worker
 * needs, so it never reads the orchestrator's disk: the repository URL, the commit, the resolved
 * scope configuration and the directories of nested scopes that this scope leaves out.
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
    int attempt)
    implements AutodocEvent {

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
