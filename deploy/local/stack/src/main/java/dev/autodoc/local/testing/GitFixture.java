package dev.autodoc.local.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real git repository on disk for tests: write files, commit, branch. */
public final class GitFixture implements AutoCloseable {
  private final Path dir;
  private final Git git;

  private GitFixture(Path dir, Git git) {
    this.dir = dir;
    this.git = git;
  }

  /** A new repository with branch {@code main}, in a new directory under {@code parent}. */
  public static GitFixture create(Path parent, String name) {
    try {
      Files.createDirectories(parent);
      Path dir = Files.createTempDirectory(parent, name + "-");
      Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
      return new GitFixture(dir, git);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** The repository as a job names it: its absolute path. */
  public String url() {
    return dir.toString();
  }

  public GitFixture write(String path, String content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public GitFixture write(String path, byte[] content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.write(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public GitFixture writeAll(Map<String, String> files) {
    files.forEach(this::write);
    return this;
  }

  /** A symbolic link committed as git stores it (a link, not the file it points to). */
  public GitFixture symlink(String path, String target) {
    try {
      Path link = dir.resolve(path);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(target));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commits everything in the working tree; the new commit's id. */
  public String commit(String message) {
    try {
      git.add().addFilepattern(".").call();
      git.add().addFilepattern(".").setUpdate(true).call();
      var who = new PersonIdent("Autodoc Tests", "tests@autodoc.dev");
      RevCommit commit =
          git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
      return commit.getName();
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Removes a file from the working tree; the next commit records the deletion. */
  public GitFixture delete(String path) {
    try {
      Files.delete(dir.resolve(path));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Merges a branch into the checked-out one as a pull request is merged, fast-forward only (the
   * documentation pull request sits on top of the commit it documents); the new head's id.
   */
  public String merge(String branch) {
    try {
      var result =
          git.merge()
              .include(git.getRepository().resolve("refs/heads/" + branch))
              .setFastForward(org.eclipse.jgit.api.MergeCommand.FastForwardMode.FF_ONLY)
              .call();
      if (!result.getMergeStatus().isSuccessful()) {
        throw new IllegalStateException("cannot merge " + branch + ": " + result.getMergeStatus());
      }
      return result.getNewHead().getName();
    } catch (GitAPIException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public GitFixture branch(String name) {
    try {
      git.branchCreate().setName(name).call();
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Closes the repository and deletes its directory: tests leave nothing behind. */
  @Override
  public void close() {
    git.close();
    dev.autodoc.local.stack.LocalStack.deleteRecursively(dir);
  }
}
