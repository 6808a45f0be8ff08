package dev.autodoc.orchestrator.git;

import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.support.git.GitMirror;
import dev.autodoc.support.git.IdleMirrors;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.net.AddressPolicy;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The orchestrator's repository mirrors, its only workspace: jobs plan and build their
 * documentation commits in them without a working tree. A mirror is kept across jobs (the next job
 * of the repository only fetches); one not used for {@code mirror-retention} whose repository has
 * no job running is removed on a schedule ({@link IdleMirrors}), and cloned again if its repository
 * comes back.
 */
@ApplicationScoped
public class Mirrors {
  private static final Logger LOG = Logger.getLogger(Mirrors.class);

  private final IdleMirrors idle;

  Mirrors(OrchestratorConfig config, AddressPolicy policy, Pool pool) {
    this.idle = new IdleMirrors(of(config, policy), pool, config.mirrorRetention());
  }

  /** The mirrors as this orchestrator reaches them (providers add their own tokens). */
  public static GitMirror of(OrchestratorConfig config, AddressPolicy policy) {
    return GitMirror.of(config.workspaceDir().resolve("mirrors"), config.git(), policy);
  }

  @Scheduled(
      every = "${autodoc.orchestrator.cleanup-interval:10m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      List<String> removed = removeIdle();
      if (!removed.isEmpty()) {
        LOG.infof("removed %d idle mirrors: %s", removed.size(), removed);
      }
    } catch (RuntimeException e) {
      LOG.warnf("removing idle mirrors: %s", Failures.describe(e));
    }
  }

  /**
   * Blocking: removes the mirrors not used for the retention whose repository has no job running.
   */
  public List<String> removeIdle() {
    return idle.remove();
  }
}
