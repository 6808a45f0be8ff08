package dev.autodoc.worker.pipeline;

import dev.autodoc.support.git.GitMirror;
import dev.autodoc.support.net.AddressPolicy;
import dev.autodoc.worker.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Makes the scope's commit available in this worker's own mirror of the repository. The worker
 * fetches by itself: it shares no disk with the orchestrator.
 */
@ApplicationScoped
public class FetchStep implements PipelineStep {
  private final GitMirror mirror;

  FetchStep(WorkerConfig config, AddressPolicy policy) {
    this.mirror =
        GitMirror.of(dev.autodoc.worker.Workspaces.mirrorDir(config), config.git(), policy);
  }

  @Override
  public String name() {
    return "fetch";
  }

  @Override
  public void run(ScopeContext context) {
    context.git(mirror.withCommit(context.repository(), context.request().commitSha()));
  }
}
