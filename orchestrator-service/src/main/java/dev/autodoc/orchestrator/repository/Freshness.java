package dev.autodoc.orchestrator.repository;

import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.orchestrator.git.Mirrors;
import dev.autodoc.support.git.GitMirror;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.net.AddressPolicy;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jboss.logging.Logger;

/**
 * How far a repository's documentation is behind its branch: the commits the branch has that the
 * documented commit does not. Told by fetching the branch into the orchestrator's mirror of the
 * repository (the one jobs plan in) and counting; an answer is reused for {@code
 * freshness-interval}, so that listing repositories does not fetch each of them every time. A
 * branch that cannot be reached, or a documented commit the branch does not contain (history
 * rewritten), has no answer: freshness is then unknown, not zero.
 */
@ApplicationScoped
public class Freshness {
  private static final Logger LOG = Logger.getLogger(Freshness.class);

  private final GitMirror mirror;
  private final Duration interval;
  private final Map<String, Fresh> told = new ConcurrentHashMap<>();

  Freshness(OrchestratorConfig config, AddressPolicy policy) {
    this.mirror = Mirrors.of(config, policy);
    this.interval = config.freshnessInterval();
  }

  /**
   * The branch's head, how many commits it has beyond the documented one, and when this was told.
   */
  public record Fresh(String documented, String head, int commitsBehind, Instant checkedAt) {}

  public Uni<Optional<Fresh>> of(String url, String branch, String documented) {
    if (documented == null) {
      return Uni.createFrom().item(Optional.empty());
    }
    String key = url + "\n" + (branch == null ? "" : branch);
    Fresh known = told.get(key);
    if (known != null
        && known.documented().equals(documented)
        && known.checkedAt().plus(interval).isAfter(Instant.now())) {
      return Uni.createFrom().item(Optional.of(known));
    }
    return Uni.createFrom()
        .item(() -> tell(url, branch, documented))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .invoke(fresh -> fresh.ifPresent(f -> told.put(key, f)));
  }

  private Optional<Fresh> tell(String url, String branch, String documented) {
    try {
      RepositoryRef ref = RepositoryRef.parse(url);
      try (Repository repo = mirror.update(ref);
          RevWalk walk = new RevWalk(repo)) {
        ObjectId head = GitMirror.resolveBranch(repo, ref, branch);
        ObjectId base = ObjectId.fromString(documented);
        var baseCommit = walk.parseCommit(base);
        if (!walk.isMergedInto(baseCommit, walk.parseCommit(head))) {
          return Optional.empty();
        }
        walk.reset();
        walk.markStart(walk.parseCommit(head));
        walk.markUninteresting(baseCommit);
        int behind = 0;
        while (walk.next() != null) {
          behind++;
        }
        return Optional.of(new Fresh(documented, head.name(), behind, Instant.now()));
      }
    } catch (IOException | RuntimeException e) {
      LOG.debugf("freshness of %s: %s", url, Failures.describe(e));
      return Optional.empty();
    }
  }
}
