package dev.autodoc.orchestrator.git;

import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.support.git.GitMirror;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * The one commit of a documentation pull request: the job's commit with the proposal's files
 * written and removed, built in the orchestrator's mirror (no working tree) and force-pushed to
 * {@code autodoc/<job id>}, so finishing a job again after a crash pushes the same branch again.
 */
final class DocumentationCommit {
  static final PersonIdent AUTHOR = new PersonIdent("Autodoc", "autodoc@localhost");

  /** The pushed commit and how many files it adds, changes or removes. */
  record Pushed(String commit, int changedFiles) {}

  private DocumentationCommit() {}

  /** Builds and pushes the commit; empty, and nothing pushed, when it would change nothing. */
  static Optional<Pushed> push(GitMirror mirror, RepositoryRef repository, Proposal proposal) {
    try (Repository repo = mirror.withCommit(repository, proposal.baseCommit());
        RevWalk walk = new RevWalk(repo);
        ObjectInserter inserter = repo.newObjectInserter()) {
      RevCommit base = walk.parseCommit(ObjectId.fromString(proposal.baseCommit()));
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      try (TreeWalk tree = new TreeWalk(repo)) {
        tree.addTree(base.getTree());
        tree.setRecursive(true);
        while (tree.next()) {
          String path = tree.getPathString();
          if (!proposal.removed().contains(path) && !proposal.files().containsKey(path)) {
            builder.add(entry(path, tree.getFileMode(0), tree.getObjectId(0)));
          }
        }
      }
      for (Map.Entry<String, String> file : proposal.files().entrySet()) {
        ObjectId blob =
            inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8));
        builder.add(entry(file.getKey(), FileMode.REGULAR_FILE, blob));
      }
      builder.finish();
      ObjectId tree = index.writeTree(inserter);
      if (tree.equals(base.getTree().getId())) {
        return Optional.empty();
      }
      var commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setParentId(base);
      commit.setAuthor(new PersonIdent(AUTHOR, Instant.now()));
      commit.setCommitter(new PersonIdent(AUTHOR, Instant.now()));
      commit.setMessage(proposal.title() + "\n\n" + proposal.body());
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      int changed;
      try (DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
        diff.setRepository(repo);
        changed = diff.scan(base.getTree().getId(), tree).size();
      }
      mirror.push(
          repository,
          repo,
          List.of(new RefSpec("+" + id.name() + ":" + Constants.R_HEADS + proposal.branch())));
      return Optional.of(new Pushed(id.name(), changed));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the documentation commit", e);
    }
  }

  private static DirCacheEntry entry(String path, FileMode mode, ObjectId id) {
    var entry = new DirCacheEntry(path);
    entry.setFileMode(mode);
    entry.setObjectId(id);
    return entry;
  }
}
