package dev.autodoc.support.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.support.net.AddressPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitMirrorTest {
  private static final String TOKEN = "ghp_test-token-0123456789";

  /** The test server listens on loopback, which the policy must allow. */
  private static final AddressPolicy LOOPBACK = new AddressPolicy(java.util.List.of("127.0.0.1"));

  @TempDir Path temp;

  @Test
  void anHttpsRepositoryIsClonedAndFetchedWithTheConfiguredToken() throws Exception {
    try (GitFixture source = GitFixture.create(temp, "source");
        HttpsGitServer server = serve(source)) {
      String first = source.write("a.txt", "one").commit("first");
      server.refresh(source.dir());
      RepositoryRef ref = RepositoryRef.parse(server.url());
      var mirror =
          new GitMirror(
              temp.resolve("mirrors"), Optional.of(TOKEN), Duration.ofSeconds(30), false, LOOPBACK);
      try (Repository repo = mirror.update(ref)) {
        assertThat(GitMirror.resolveBranch(repo, ref, "main").name()).isEqualTo(first);
      }
      String second = source.write("b.txt", "two").commit("second");
      server.refresh(source.dir());
      try (Repository repo = mirror.withCommit(ref, second)) {
        assertThat(GitMirror.resolveBranch(repo, ref, null).name()).isEqualTo(second);
      }
      assertThat(server.authorized).hasPositiveValue();
    }
  }

  @Test
  void aWrongTokenIsAPermanentFailureThatNamesTheRepository() throws Exception {
    try (GitFixture source = GitFixture.create(temp, "source");
        HttpsGitServer server = serve(source)) {
      var mirror =
          new GitMirror(
              temp.resolve("mirrors"),
              Optional.of("not-the-token"),
              Duration.ofSeconds(30),
              false,
              LOOPBACK);
      assertThatThrownBy(() -> mirror.update(RepositoryRef.parse(server.url())))
          .isInstanceOfSatisfying(
              PermanentException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.REPOSITORY_NOT_FOUND))
          .hasMessageContaining(server.url() + " cannot be read");
      assertThat(server.refused).hasPositiveValue();
      assertThat(server.authorized).hasValue(0);
    }
  }

  @Test
  void anHttpsRepositoryAtALoopbackAddressIsRefusedBeforeAnyRequestUnlessAllowed()
      throws Exception {
    try (GitFixture source = GitFixture.create(temp, "source");
        HttpsGitServer server = serve(source)) {
      source.write("a.txt", "one").commit("first");
      server.refresh(source.dir());
      var publicOnly =
          new GitMirror(
              temp.resolve("mirrors"),
              Optional.of(TOKEN),
              Duration.ofSeconds(30),
              false,
              AddressPolicy.publicOnly());
      // By address, and by a name resolved only when connecting.
      String byName = server.url().replace("127.0.0.1", "localhost");
      for (String url : java.util.List.of(server.url(), byName)) {
        assertThatThrownBy(() -> publicOnly.update(RepositoryRef.parse(url)))
            .isInstanceOfSatisfying(
                PermanentException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.REPOSITORY_NOT_ALLOWED))
            .hasMessageContaining("127.0.0.1, a loopback address")
            .hasMessageContaining(AddressPolicy.SETTING);
      }
      assertThat(server.authorized).hasValue(0);
      assertThat(server.refused).hasValue(0);
      // No mirror was made (only the lock beside where it would be).
      try (var left = Files.list(temp.resolve("mirrors"))) {
        assertThat(left.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".lock"));
      }
    }
  }

  @Test
  void aRedirectIsCheckedUnderTheSameRule() throws Exception {
    try (GitFixture source = GitFixture.create(temp, "source");
        HttpsGitServer server = serve(source)) {
      source.write("a.txt", "one").commit("first");
      server.refresh(source.dir());
      // Allowed: the server's own address. Not allowed: where it redirects to.
      server.movedTo = server.url().replace("127.0.0.1", "127.0.0.2");
      var mirror =
          new GitMirror(
              temp.resolve("mirrors"),
              Optional.of(TOKEN),
              Duration.ofSeconds(30),
              false,
              new AddressPolicy(java.util.List.of("127.0.0.1/32")));
      assertThatThrownBy(() -> mirror.update(RepositoryRef.parse(server.movedUrl())))
          .isInstanceOfSatisfying(
              PermanentException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.REPOSITORY_NOT_ALLOWED))
          .hasMessageContaining("127.0.0.2, a loopback address");
      assertThat(server.authorized).hasValue(0);
    }
  }

  @Test
  void anotherProcessHoldingTheMirrorsLockIsWaitedFor() throws Exception {
    try (GitFixture source = GitFixture.create(temp, "source")) {
      source.write("a.txt", "one").commit("first");
      RepositoryRef ref = RepositoryRef.parse(source.url());
      Path cache = temp.resolve("mirrors");
      Files.createDirectories(cache);
      Path lockFile = cache.resolve(ref.id() + ".git.lock");
      Path released = temp.resolve("released");
      // Another process (as a second worker would be) holds the lock for a while.
      Path holder = temp.resolve("Hold.java");
      Files.writeString(
          holder,
          """
          import java.nio.channels.FileChannel;
          import java.nio.file.*;
          public class Hold {
            public static void main(String[] a) throws Exception {
              try (var c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE); var l = c.lock()) {
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(2000);
                Files.writeString(Path.of(a[1]), "released");
              }
            }
          }
          """);
      Process other =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  holder.toString(),
                  lockFile.toString(),
                  released.toString())
              .redirectErrorStream(true)
              .start();
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream()));
      assertThat(out.readLine()).isEqualTo("locked");
      var mirror = new GitMirror(cache, Optional.empty(), Duration.ofSeconds(30), true, LOOPBACK);
      try (Repository repo = mirror.update(ref)) {
        // The clone waited until the other process let go.
        assertThat(released).exists();
        assertThat(repo.resolve("refs/heads/main")).isNotNull();
      }
      assertThat(other.waitFor()).isZero();
    }
  }

  @Test
  void mirrorsNotUsedForTheRetentionAreRemovedAndClonedAgainWhenNeeded() throws Exception {
    try (GitFixture idle = GitFixture.create(temp, "idle");
        GitFixture used = GitFixture.create(temp, "used")) {
      String idleCommit = idle.write("a.txt", "a").commit("a");
      String usedCommit = used.write("b.txt", "b").commit("b");
      Path cache = temp.resolve("mirrors");
      var mirror = new GitMirror(cache, Optional.empty(), Duration.ofSeconds(5), true, LOOPBACK);
      RepositoryRef idleRef = RepositoryRef.parse(idle.url());
      RepositoryRef usedRef = RepositoryRef.parse(used.url());
      mirror.update(idleRef).close();
      mirror.update(usedRef).close();
      // Both were last used two hours ago; then one is read again (without fetching).
      var longAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
      Files.setLastModifiedTime(cache.resolve(idleRef.id() + ".git"), longAgo);
      Files.setLastModifiedTime(cache.resolve(usedRef.id() + ".git"), longAgo);
      mirror.withCommit(usedRef, usedCommit).close();

      // A running job's mirror is kept however idle it looks.
      assertThat(mirror.removeIdle(Duration.ofHours(1), Set.of(idleRef.id()))).isEmpty();
      assertThat(mirror.removeIdle(Duration.ofHours(1), Set.of()))
          .containsExactly(idleRef.id() + ".git");
      assertThat(cache.resolve(idleRef.id() + ".git")).doesNotExist();
      assertThat(cache.resolve(usedRef.id() + ".git")).isDirectory();
      assertThat(mirror.removeIdle(Duration.ofHours(1), Set.of())).isEmpty();
      try (Repository repo = mirror.withCommit(idleRef, idleCommit)) {
        assertThat(GitMirror.resolveBranch(repo, idleRef, null).name()).isEqualTo(idleCommit);
      }
    }
  }

  @Test
  void anUnreachableServerIsATransientFailure() {
    var mirror =
        new GitMirror(
            temp.resolve("mirrors"), Optional.of(TOKEN), Duration.ofSeconds(5), false, LOOPBACK);
    int closedPort = dev.autodoc.local.stack.Ports.free();
    assertThatThrownBy(
            () ->
                mirror.update(RepositoryRef.parse("https://127.0.0.1:" + closedPort + "/repo.git")))
        .isInstanceOfSatisfying(
            TransientException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.GIT_UNAVAILABLE));
  }

  @Test
  void localRepositoriesAreRefusedUnlessAllowed() throws Exception {
    try (GitFixture source = GitFixture.create(temp, "local")) {
      source.write("a.txt", "a").commit("a");
      var mirror =
          new GitMirror(
              temp.resolve("mirrors"), Optional.empty(), Duration.ofSeconds(5), false, LOOPBACK);
      assertThatThrownBy(() -> mirror.update(RepositoryRef.parse(source.url())))
          .isInstanceOfSatisfying(
              PermanentException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.REPOSITORY_NOT_ALLOWED));
    }
  }

  /** Serves the source's first commit; tests add commits and refresh the server. */
  private HttpsGitServer serve(GitFixture source) throws Exception {
    source.write("a.txt", "one").commit("one");
    return HttpsGitServer.serve(source.dir(), TOKEN, temp);
  }
}
