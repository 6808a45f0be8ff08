package dev.autodoc.support.git;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.support.net.AddressPolicy;
import dev.autodoc.support.net.PolicyHttpConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.util.FS;

/**
 * A bare mirror of each repository in a cache directory of this service's own, cloned once and
 * fetched afterwards. Failures are classified: a repository or branch that does not exist is
 * permanent, a network failure transient.
 *
 * <p>Every use stamps the mirror's directory with the time, under the repository's lock, so {@link
 * #removeIdle} can delete mirrors nobody used for a while without racing a use that is starting.
 * The lock of a mirror ({@link MirrorLock}) is held within the process and, with a file lock beside
 * the mirror, across the processes that share the cache directory (the local deployment's workers
 * do).
 *
 * <p>An opened mirror stays open in JGit's {@link RepositoryCache} for the next use: a fresh open
 * reads the mirror's configuration and pack indexes again, a few milliseconds that every scope of a
 * job would otherwise pay. A mirror is dropped from the cache before it is deleted or cloned anew.
 */
public final class GitMirror {
  private final Path cacheDir;
  private final Optional<String> httpsToken;
  private final Duration timeout;
  private final boolean allowLocal;
  private final AddressPolicy policy;
  private final PolicyHttpConnectionFactory connections;

  /**
   * @param httpsToken a token sent as the password for {@code https://} repositories
   * @param allowLocal whether local paths may be read (the local stack allows them; a server
   *     reading any path a caller names would not)
   * @param policy which addresses {@code https://} repositories may be reached at, checked on every
   *     connection as it is made, redirects included
   */
  public GitMirror(
      Path cacheDir,
      Optional<String> httpsToken,
      Duration timeout,
      boolean allowLocal,
      AddressPolicy policy) {
    this.cacheDir = cacheDir;
    this.httpsToken = httpsToken.filter(t -> !t.isBlank());
    this.timeout = timeout;
    this.allowLocal = allowLocal;
    this.policy = policy;
    this.connections = new PolicyHttpConnectionFactory(policy);
  }

  /** A mirror in {@code cacheDir} reaching repositories as the settings and policy say. */
  public static GitMirror of(Path cacheDir, GitSettings settings, AddressPolicy policy) {
    return new GitMirror(
        cacheDir, settings.httpsToken(), settings.timeout(), settings.allowLocal(), policy);
  }

  /** The same mirrors, reaching {@code https://} repositories with another token. */
  public GitMirror withHttpsToken(String token) {
    return new GitMirror(cacheDir, Optional.of(token), timeout, allowLocal, policy);
  }

  /** Every HTTP connection of a git command goes through the checking factory. */
  private void checked(Transport transport) {
    if (transport instanceof TransportHttp http) {
      http.setHttpConnectionFactory(connections);
    }
  }

  /** Brings the mirror of {@code ref} up to date and opens it; the caller closes it. */
  public Repository update(RepositoryRef ref) {
    checkAllowed(ref);
    Path dir = cacheDir.resolve(ref.id() + ".git");
    try (MirrorLock held = MirrorLock.take(dir, true).orElseThrow()) {
      if (!Files.exists(dir.resolve("HEAD"))) {
        cloneInto(ref, dir);
      } else {
        fetch(ref, dir);
      }
      MirrorLock.markUsed(dir);
      return open(dir);
    }
  }

  /** Updates the mirror only when it lacks {@code commit}; fails when the commit does not exist. */
  public Repository withCommit(RepositoryRef ref, String commit) {
    checkAllowed(ref);
    Path dir = cacheDir.resolve(ref.id() + ".git");
    try (MirrorLock held = MirrorLock.take(dir, true).orElseThrow()) {
      if (Files.exists(dir.resolve("HEAD"))) {
        MirrorLock.markUsed(dir);
        Repository repo = open(dir);
        if (hasCommit(repo, commit)) {
          return repo;
        }
        repo.close();
      }
    }
    Repository repo = update(ref);
    if (!hasCommit(repo, commit)) {
      repo.close();
      throw new PermanentException(
          Reason.COMMIT_NOT_FOUND, "commit " + commit + " is not in " + ref.url());
    }
    return repo;
  }

  /**
   * Pushes from a mirror to the repository, with this mirror's credentials and timeout; fails
   * naming every ref the repository refused.
   */
  public void push(RepositoryRef ref, Repository mirror, List<RefSpec> refSpecs) {
    checkAllowed(ref);
    try (Git git = new Git(mirror)) {
      List<String> refused = new java.util.ArrayList<>();
      for (PushResult result :
          git.push()
              .setRemote(ref.url())
              .setRefSpecs(refSpecs)
              .setCredentialsProvider(credentials(ref))
              .setTransportConfigCallback(this::checked)
              .setTimeout(seconds())
              .call()) {
        for (RemoteRefUpdate update : result.getRemoteUpdates()) {
          if (update.getStatus() != RemoteRefUpdate.Status.OK
              && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE
              && update.getStatus() != RemoteRefUpdate.Status.NON_EXISTING) {
            refused.add(
                update.getRemoteName()
                    + " "
                    + update.getStatus()
                    + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
          }
        }
      }
      if (!refused.isEmpty()) {
        throw new PermanentException(
            Reason.REPOSITORY_NOT_ALLOWED,
            ref.url() + " refused the push: " + String.join("; ", refused));
      }
    } catch (GitAPIException e) {
      throw classify(ref, e);
    }
  }

  /** The branches of the repository whose names start with {@code prefix}, by name. */
  public List<String> remoteBranches(RepositoryRef ref, String prefix) {
    checkAllowed(ref);
    try {
      return Git.lsRemoteRepository()
          .setRemote(ref.url())
          .setHeads(true)
          .setCredentialsProvider(credentials(ref))
          .setTransportConfigCallback(this::checked)
          .setTimeout(seconds())
          .call()
          .stream()
          .map(r -> r.getName().substring("refs/heads/".length()))
          .filter(name -> name.startsWith(prefix))
          .sorted()
          .toList();
    } catch (GitAPIException e) {
      throw classify(ref, e);
    }
  }

  /** The commit at the head of {@code branch}, or of the default branch when it is null. */
  public static ObjectId resolveBranch(Repository repo, RepositoryRef ref, String branch) {
    try {
      if (branch == null || branch.isBlank()) {
        Ref head = repo.exactRef(Constants.HEAD);
        if (head == null || head.getObjectId() == null) {
          throw new PermanentException(
              Reason.BRANCH_NOT_FOUND, ref.url() + " has no default branch (is it empty?)");
        }
        return head.getObjectId();
      }
      Ref found = repo.exactRef(Constants.R_HEADS + branch);
      if (found == null) {
        List<String> branches =
            repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS).stream()
                .map(r -> r.getName().substring(Constants.R_HEADS.length()))
                .sorted()
                .limit(20)
                .toList();
        throw new PermanentException(
            Reason.BRANCH_NOT_FOUND,
            "branch '"
                + branch
                + "' does not exist in "
                + ref.url()
                + "; branches: "
                + String.join(", ", branches));
      }
      return found.getObjectId();
    } catch (IOException e) {
      throw new TransientException(
          Reason.GIT_UNAVAILABLE, "cannot read " + ref.url() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the mirrors not used for {@code idle}, except those of the repositories {@code inUse}
   * names (a job of theirs is still running, and may hold the mirror open), and returns their
   * directory names.
   */
  public List<String> removeIdle(Duration idle, Set<String> inUse) {
    if (!Files.isDirectory(cacheDir)) {
      return List.of();
    }
    Instant before = Instant.now().minus(idle);
    List<String> removed = new java.util.ArrayList<>();
    try (var mirrors = Files.list(cacheDir)) {
      for (Path dir : mirrors.filter(d -> d.getFileName().toString().endsWith(".git")).toList()) {
        String name = dir.getFileName().toString();
        if (inUse.contains(name.substring(0, name.length() - ".git".length()))) {
          continue;
        }
        Optional<MirrorLock> held = MirrorLock.take(dir, false);
        if (held.isEmpty()) {
          continue; // in use right now, here or in another process
        }
        try (MirrorLock ignored = held.get()) {
          if (Files.getLastModifiedTime(dir).toInstant().isBefore(before)) {
            forget(dir);
            org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile());
            removed.add(name);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot remove the idle mirror " + dir, e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the mirrors in " + cacheDir, e);
    }
    return removed;
  }

  private void checkAllowed(RepositoryRef ref) {
    if (ref.kind() == RepositoryRef.Kind.LOCAL) {
      if (!allowLocal) {
        throw new PermanentException(
            Reason.REPOSITORY_NOT_ALLOWED,
            "local repositories are not enabled on this server: " + ref.url());
      }
      Path path = Path.of(java.net.URI.create(ref.url()));
      if (!Files.isDirectory(path)) {
        throw new PermanentException(
            Reason.REPOSITORY_NOT_FOUND, "repository " + path + " does not exist");
      }
      if (!Files.exists(path.resolve(".git")) && !Files.exists(path.resolve("HEAD"))) {
        throw new PermanentException(
            Reason.REPOSITORY_NOT_FOUND, path + " is not a git repository");
      }
    }
  }

  /**
   * Clones in place; a failed clone is deleted so no half mirror is ever opened. (Cloning beside
   * the target and moving it in would race JGit's background garbage collection after the clone.)
   * Callers hold the repository's lock.
   */
  private void cloneInto(RepositoryRef ref, Path dir) {
    boolean done = false;
    forget(dir);
    try {
      Files.createDirectories(cacheDir);
      try (Git ignored =
          Git.cloneRepository()
              .setURI(ref.url())
              .setBare(true)
              .setDirectory(dir.toFile())
              .setCloneAllBranches(true)
              .setCredentialsProvider(credentials(ref))
              .setTransportConfigCallback(this::checked)
              .setTimeout(seconds())
              .call()) {
        done = true;
      }
    } catch (GitAPIException e) {
      throw classify(ref, e);
    } catch (IOException e) {
      throw new TransientException(
          Reason.GIT_UNAVAILABLE,
          "cannot write the mirror of " + ref.url() + ": " + e.getMessage(),
          e);
    } finally {
      if (!done) {
        org.apache.commons.io.FileUtils.deleteQuietly(dir.toFile());
      }
    }
  }

  private void fetch(RepositoryRef ref, Path dir) {
    try (Repository repo = open(dir);
        Git git = new Git(repo)) {
      git.fetch()
          .setRemote(ref.url())
          .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"))
          .setRemoveDeletedRefs(true)
          .setCredentialsProvider(credentials(ref))
          .setTransportConfigCallback(this::checked)
          .setTimeout(seconds())
          .call();
    } catch (GitAPIException e) {
      throw classify(ref, e);
    }
  }

  private static Repository open(Path dir) {
    try {
      return RepositoryCache.open(cacheKey(dir), true);
    } catch (IOException e) {
      throw new TransientException(
          Reason.GIT_UNAVAILABLE, "cannot open mirror " + dir + ": " + e.getMessage(), e);
    }
  }

  private static RepositoryCache.FileKey cacheKey(Path dir) {
    return RepositoryCache.FileKey.exact(dir.toFile(), FS.DETECTED);
  }

  /** Closes the cached repository of a mirror about to be deleted or cloned anew. */
  private static void forget(Path dir) {
    RepositoryCache.FileKey key = cacheKey(dir);
    if (RepositoryCache.getRegisteredKeys().contains(key)) {
      try {
        RepositoryCache.close(RepositoryCache.open(key, false));
      } catch (IOException e) {
        RepositoryCache.unregister(key);
      }
    }
  }

  private static boolean hasCommit(Repository repo, String commit) {
    try {
      ObjectId id = ObjectId.fromString(commit);
      return repo.getObjectDatabase().has(id);
    } catch (IllegalArgumentException e) {
      throw new PermanentException(Reason.COMMIT_NOT_FOUND, "'" + commit + "' is not a commit id");
    } catch (IOException e) {
      throw new TransientException(
          Reason.GIT_UNAVAILABLE, "cannot read the mirror: " + e.getMessage(), e);
    }
  }

  private RuntimeException classify(RepositoryRef ref, GitAPIException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof AddressPolicy.Refused refused) {
        return new PermanentException(
            Reason.REPOSITORY_NOT_ALLOWED,
            "repository " + ref.url() + " is not reachable: " + refused.getMessage(),
            e);
      }
    }
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (e instanceof InvalidRemoteException
        || (e instanceof TransportException
            && (message.contains("not found")
                || message.contains("authentication is required")
                || message.contains("not authorized")
                || message.contains("not permitted")
                || message.contains("does not appear to be a git repository")))) {
      return new PermanentException(
          Reason.REPOSITORY_NOT_FOUND,
          "repository " + ref.url() + " cannot be read: " + e.getMessage(),
          e);
    }
    return new TransientException(
        Reason.GIT_UNAVAILABLE, "cannot reach " + ref.url() + ": " + e.getMessage(), e);
  }

  private CredentialsProvider credentials(RepositoryRef ref) {
    return ref.kind() == RepositoryRef.Kind.HTTPS && httpsToken.isPresent()
        ? new UsernamePasswordCredentialsProvider("x-access-token", httpsToken.get())
        : null;
  }

  private int seconds() {
    return (int) Math.max(1, timeout.toSeconds());
  }
}
