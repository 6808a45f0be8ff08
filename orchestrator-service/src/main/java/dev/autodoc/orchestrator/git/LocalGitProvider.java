package dev.autodoc.orchestrator.git;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.support.git.GitMirror;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * A repository on this machine (a path or {@code file://} URL), through JGit. Changes come from
 * diffing the two commits' trees with rename detection. The pull request is a branch {@code
 * autodoc/<job id>} pushed to the repository with one commit on top of the job's commit; stale ones
 * are closed by deleting the branches of earlier jobs. Everything is built in this service's own
 * mirror, so the repository's working tree is never touched.
 */
public final class LocalGitProvider implements GitProvider {
  static final PersonIdent AUTHOR = new PersonIdent("Autodoc", "autodoc@localhost");

  private final GitMirror mirror;

  public LocalGitProvider(GitMirror mirror) {
    this.mirror = mirror;
  }

  @Override
  public List<FileChange> compare(RepositoryRef repository, String base, String head) {
    try (Repository repo = mirror.withCommit(repository, head);
        RevWalk walk = new RevWalk(repo);
        DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
      diff.setRepository(repo);
      diff.setDetectRenames(true);
      List<FileChange> changes = new ArrayList<>();
      for (DiffEntry entry :
          diff.scan(tree(walk, repo, base, repository), tree(walk, repo, head, repository))) {
        changes.add(change(entry));
      }
      return changes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compare " + base + " with " + head, e);
    }
  }

  @Override
  public Optional<PullRequest> open(RepositoryRef repository, Proposal proposal) {
    return DocumentationCommit.push(mirror, repository, proposal)
        .map(
            c ->
                new PullRequest(
                    repository.url() + "#" + proposal.branch(),
                    proposal.branch(),
                    c.commit(),
                    c.changedFiles()));
  }

  @Override
  public List<String> closeStale(RepositoryRef repository, String keep) {
    List<String> stale =
        mirror.remoteBranches(repository, BRANCH_PREFIX).stream()
            .filter(branch -> !branch.equals(keep))
            .toList();
    if (!stale.isEmpty()) {
      try (Repository repo = mirror.update(repository)) {
        mirror.push(
            repository,
            repo,
            stale.stream().map(b -> new RefSpec(":" + Constants.R_HEADS + b)).toList());
      }
    }
    return stale;
  }

  private static ObjectId tree(RevWalk walk, Repository repo, String commit, RepositoryRef ref)
      throws IOException {
    try {
      ObjectId id = repo.resolve(commit + "^{commit}");
      if (id != null) {
        return walk.parseCommit(id).getTree().getId();
      }
    } catch (org.eclipse.jgit.errors.MissingObjectException
        | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
      // reported below like a name that resolves to nothing
    }
    throw new PermanentException(
        Reason.COMMIT_NOT_FOUND, "commit " + commit + " is not in " + ref.url());
  }

  private static FileChange change(DiffEntry entry) {
    return switch (entry.getChangeType()) {
      case ADD -> new FileChange(FileChange.Kind.ADDED, entry.getNewPath(), entry.getNewPath());
      case MODIFY ->
          new FileChange(FileChange.Kind.MODIFIED, entry.getNewPath(), entry.getOldPath());
      case DELETE ->
          new FileChange(FileChange.Kind.DELETED, entry.getOldPath(), entry.getOldPath());
      case RENAME ->
          new FileChange(FileChange.Kind.RENAMED, entry.getNewPath(), entry.getOldPath());
      case COPY -> new FileChange(FileChange.Kind.COPIED, entry.getNewPath(), entry.getOldPath());
    };
  }
}
