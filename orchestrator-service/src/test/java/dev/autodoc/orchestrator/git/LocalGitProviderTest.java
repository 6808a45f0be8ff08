package dev.autodoc.orchestrator.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.support.git.GitMirror;
import dev.autodoc.support.net.AddressPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local provider on real repositories: compare, the pull request branch, stale branches. */
class LocalGitProviderTest {
  @TempDir Path temp;

  private LocalGitProvider provider() {
    return new LocalGitProvider(
        new GitMirror(
            temp.resolve("mirrors"),
            Optional.empty(),
            Duration.ofSeconds(30),
            true,
            AddressPolicy.publicOnly()));
  }

  private GitFixture shop() {
    GitFixture repo = GitFixture.create(temp, "shop");
    repo.write("src/Main.java", "class Main {}\n")
        .write("src/Util.java", "class Util {\n  static int one() {\n    return 1;\n  }\n}\n")
        .write("src/Old.java", "class Old {}\n")
        .write("README.md", "# shop\n");
    repo.commit("first");
    return repo;
  }

  @Test
  void compareNamesEveryChangeAndPairsRenames() {
    try (GitFixture repo = shop()) {
      String first = head(repo);
      repo.write("src/Main.java", "class Main { int x; }\n")
          .write("src/New.java", "class New {}\n");
      delete(repo, "src/Old.java");
      // Same content at a new path: a rename.
      String util = read(repo, "src/Util.java");
      delete(repo, "src/Util.java");
      repo.write("lib/Util.java", util);
      String second = repo.commit("second");

      RepositoryRef ref = RepositoryRef.parse(repo.url());
      assertThat(provider().compare(ref, first, second))
          .containsExactlyInAnyOrder(
              new FileChange(FileChange.Kind.MODIFIED, "src/Main.java", "src/Main.java"),
              new FileChange(FileChange.Kind.ADDED, "src/New.java", "src/New.java"),
              new FileChange(FileChange.Kind.DELETED, "src/Old.java", "src/Old.java"),
              new FileChange(FileChange.Kind.RENAMED, "lib/Util.java", "src/Util.java"));
      assertThat(provider().compare(ref, second, second)).isEmpty();
      assertThatThrownBy(() -> provider().compare(ref, "0".repeat(40), second))
          .isInstanceOf(PermanentException.class)
          .hasMessageContaining("is not in");
    }
  }

  @Test
  void thePullRequestIsOneCommitOnTheJobsCommitAndSupersedesEarlierOnes() throws Exception {
    try (GitFixture repo = shop()) {
      String commit = head(repo);
      RepositoryRef ref = RepositoryRef.parse(repo.url());
      UUID firstJob = UUID.randomUUID();
      PullRequest first =
          provider()
              .open(
                  ref,
                  new Proposal(
                      firstJob,
                      "main",
                      commit,
                      "Autodoc: documentation",
                      "2 pages",
                      Map.of("AGENTS.md", "# shop\n", "docs/autodoc/index.md", "# shop\n"),
                      Set.of()))
              .orElseThrow();
      assertThat(first.branch()).isEqualTo("autodoc/" + firstJob);
      assertThat(first.changedFiles()).isEqualTo(2);

      UUID secondJob = UUID.randomUUID();
      PullRequest second =
          provider()
              .open(
                  ref,
                  new Proposal(
                      secondJob,
                      "main",
                      commit,
                      "Autodoc: documentation",
                      "1 page, 1 removed",
                      Map.of("docs/autodoc/index.md", "# shop, again\n"),
                      Set.of("README.md")))
              .orElseThrow();
      assertThat(second.changedFiles()).isEqualTo(2);

      try (Repository git = Git.open(repo.dir().toFile()).getRepository();
          RevWalk walk = new RevWalk(git)) {
        RevCommit pr = walk.parseCommit(git.resolve("refs/heads/" + second.branch()));
        assertThat(pr.getName()).isEqualTo(second.commit());
        assertThat(pr.getParentCount()).isEqualTo(1);
        assertThat(pr.getParent(0).getName()).isEqualTo(commit);
        assertThat(pr.getFullMessage()).startsWith("Autodoc: documentation\n\n1 page, 1 removed");
        assertThat(content(git, pr, "docs/autodoc/index.md")).isEqualTo("# shop, again\n");
        assertThat(content(git, pr, "src/Main.java")).isEqualTo("class Main {}\n");
        assertThat(content(git, pr, "README.md")).isNull();
        // The working tree and the checked-out branch are untouched.
        assertThat(git.getBranch()).isEqualTo("main");
        assertThat(git.resolve("refs/heads/main").getName()).isEqualTo(commit);
        assertThat(repo.dir().resolve("docs")).doesNotExist();
      }

      assertThat(provider().closeStale(ref, second.branch())).containsExactly(first.branch());
      try (Repository git = Git.open(repo.dir().toFile()).getRepository()) {
        assertThat(git.resolve("refs/heads/" + first.branch())).isNull();
        assertThat(git.resolve("refs/heads/" + second.branch())).isNotNull();
      }
      assertThat(provider().closeStale(ref, second.branch())).isEmpty();
    }
  }

  @Test
  void pagesThatChangeNothingOpenNoPullRequest() {
    try (GitFixture repo = shop()) {
      RepositoryRef ref = RepositoryRef.parse(repo.url());
      assertThat(
              provider()
                  .open(
                      ref,
                      new Proposal(
                          UUID.randomUUID(),
                          "main",
                          head(repo),
                          "t",
                          "b",
                          Map.of("README.md", "# shop\n"),
                          Set.of("not/there.md"))))
          .isEmpty();
      assertThat(provider().closeStale(ref, "none")).isEmpty();
    }
  }

  private static String head(GitFixture repo) {
    try (Git git = Git.open(repo.dir().toFile())) {
      return git.getRepository().resolve("HEAD").getName();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void delete(GitFixture repo, String path) {
    try {
      Files.delete(repo.dir().resolve(path));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String read(GitFixture repo, String path) {
    try {
      return Files.readString(repo.dir().resolve(path));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String content(Repository git, RevCommit commit, String path)
      throws java.io.IOException {
    try (TreeWalk walk = TreeWalk.forPath(git, path, commit.getTree())) {
      if (walk == null) {
        return null;
      }
      ObjectId blob = walk.getObjectId(0);
      return new String(git.open(blob).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
