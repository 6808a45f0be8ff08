package dev.autodoc.orchestrator.repository;

import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.orchestrator.git.Mirrors;
import dev.autodoc.support.git.GitMirror;
import dev.autodoc.support.net.AddressPolicy;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A repository's files at a commit, read from the orchestrator's mirror: which paths exist, and the
 * lines of one. What {@code ask} checks its citations and names against. The path lists of the last
 * few commits are kept; a file over {@link #MAX_BYTES} or holding a NUL byte has no lines to cite.
 */
@ApplicationScoped
public class SourceFiles {
  static final int MAX_BYTES = 2 * 1024 * 1024;
  private static final int KEPT_COMMITS = 16;

  private final GitMirror mirror;
  private final Map<String, Set<String>> paths =
      new LinkedHashMap<>(KEPT_COMMITS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
          return size() > KEPT_COMMITS;
        }
      };

  SourceFiles(OrchestratorConfig config, AddressPolicy policy) {
    this.mirror = Mirrors.of(config, policy);
  }

  /** Every file path of the repository at {@code commit}. */
  public Uni<Set<String>> paths(String url, String commit) {
    synchronized (paths) {
      Set<String> known = paths.get(commit);
      if (known != null) {
        return Uni.createFrom().item(known);
      }
    }
    return blocking(
        () -> {
          Set<String> all = new HashSet<>();
          try (Repository repo = mirror.withCommit(RepositoryRef.parse(url), commit);
              RevWalk commits = new RevWalk(repo);
              TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(commits.parseCommit(ObjectId.fromString(commit)).getTree());
            walk.setRecursive(true);
            while (walk.next()) {
              all.add(walk.getPathString());
            }
          }
          Set<String> kept = Set.copyOf(all);
          synchronized (paths) {
            paths.put(commit, kept);
          }
          return kept;
        });
  }

  /** The lines of the file at {@code path}, or empty if it does not exist or is not text. */
  public Uni<Optional<List<String>>> lines(String url, String commit, String path) {
    return blocking(
        () -> {
          try (Repository repo = mirror.withCommit(RepositoryRef.parse(url), commit);
              RevWalk commits = new RevWalk(repo);
              TreeWalk walk =
                  TreeWalk.forPath(
                      repo, path, commits.parseCommit(ObjectId.fromString(commit)).getTree())) {
            if (walk == null || walk.getFileMode(0) == FileMode.TREE) {
              return Optional.empty();
            }
            var loader = repo.open(walk.getObjectId(0));
            if (loader.getSize() > MAX_BYTES) {
              return Optional.empty();
            }
            byte[] bytes = loader.getBytes();
            for (byte b : bytes) {
              if (b == 0) {
                return Optional.empty();
              }
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8).lines().toList());
          }
        });
  }

  private interface Read<T> {
    T get() throws IOException;
  }

  /** Git reads block: off the event loop. */
  private static <T> Uni<T> blocking(Read<T> read) {
    return Uni.createFrom()
        .item(
            () -> {
              try {
                return read.get();
              } catch (IOException e) {
                throw new TransientException(
                    Reason.GIT_UNAVAILABLE, "reading the repository's mirror failed: " + e, e);
              }
            })
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }
}
