package dev.autodoc.worker.pipeline;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.worker.docs.ReadmeDistiller;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.docs.pages.QualityLoop;
import dev.autodoc.worker.docs.pages.QualityScorer;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.PagePlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes every page of the structure through the quality loop (regenerated with its findings while
 * below {@code agent.quality_threshold}, up to {@code agent.max_attempts}), then distills the scope
 * README.
 */
@ApplicationScoped
public class GenerateStep implements PipelineStep {
  private final QualityLoop loop = new QualityLoop(new StaticPageGenerator(), new QualityScorer());

  @Override
  public String name() {
    return "generate";
  }

  @Override
  public void run(ScopeContext context) {
    ScopeConfig config = context.request().config();
    if (config.agent().mode() == ScopeConfig.AgentMode.LLM) {
      // Refused rather than silently served by the static agent.
      throw new PermanentException(
          Reason.INVALID_SCOPE_CONFIG, "agent.mode 'llm' is not available yet; use 'static'");
    }
    DocContext docs = context.docs();
    List<Page> pages = new ArrayList<>();
    for (PagePlan plan : docs.structure().pages()) {
      if (context.cancelled()) {
        return;
      }
      pages.add(
          loop.run(plan, docs, config.agent().qualityThreshold(), config.agent().maxAttempts()));
    }
    context.generated(pages, ReadmeDistiller.distill(config, docs));
  }
}
