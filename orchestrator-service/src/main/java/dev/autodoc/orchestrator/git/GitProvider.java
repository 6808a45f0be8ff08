package dev.autodoc.orchestrator.git;

import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.repo.RepositoryRef;
import java.util.List;
import java.util.Optional;

/**
 * What a documentation job needs from the host of a repository: what changed between two commits, a
 * pull request holding the pages, and the closing of the pull requests it supersedes.
 */
public interface GitProvider {
  /** The prefix of every documentation branch: {@code autodoc/<job id>}. */
  String BRANCH_PREFIX = "autodoc/";

  /** The files changed from {@code base} to {@code head}, renames paired with their old path. */
  List<FileChange> compare(RepositoryRef repository, String base, String head);

  /**
   * Opens the pull request of a job on top of its commit; empty when the pages change nothing in
   * the repository.
   */
  Optional<PullRequest> open(RepositoryRef repository, Proposal proposal);

  /** Closes the documentation pull requests of other jobs than {@code keep}; their branches. */
  List<String> closeStale(RepositoryRef repository, String keep);
}
