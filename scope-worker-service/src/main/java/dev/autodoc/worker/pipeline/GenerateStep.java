package dev.autodoc.worker.pipeline;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.worker.docs.AgentSession;
import dev.autodoc.worker.docs.SessionRecorder;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.docs.pages.QualityLoop;
import dev.autodoc.worker.docs.pages.QualityScorer;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.PagePlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes every page of the structure through the quality loop (regenerated with its findings while
 * below {@code agent.quality_threshold}, up to {@code agent.max_attempts}), then distills the scope
 * README. Each page and the README are an agent session, recorded while it runs.
 */
@ApplicationScoped
public class GenerateStep implements PipelineStep {
  static final String AGENT = "static";

  private final QualityLoop loop = new QualityLoop(new StaticPageGenerator(), new QualityScorer());
  private final SessionRecorder sessions;

  GenerateStep(SessionRecorder sessions) {
    this.sessions = sessions;
  }

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
      Map<String, Object> input = new LinkedHashMap<>();
      input.put("page", plan.path());
      input.put("kind", plan.kind().name());
      input.put("module", plan.module());
      input.put("sourceFiles", plan.sourceFiles());
      input.put("ownedSymbols", plan.ownedSymbols().size());
      input.put("threshold", config.agent().qualityThreshold());
      input.put("maxAttempts", config.agent().maxAttempts());
      UUID session =
          sessions.open(
              context.request().jobId(), context.request().scopePath(), plan.path(), AGENT, input);
      List<AgentSession.Step> steps = new ArrayList<>();
      try {
        Page page =
            loop.run(
                plan,
                docs,
                config.agent().qualityThreshold(),
                config.agent().maxAttempts(),
                steps::add);
        sessions.close(
            session, "COMPLETED", new AgentSession(AGENT, input, steps, page.markdown(), 0, 0));
        pages.add(page);
      } catch (RuntimeException e) {
        sessions.close(
            session, "FAILED", new AgentSession(AGENT, input, steps, e.toString(), 0, 0));
        throw e;
      }
    }
    context.generated(pages);
  }
}
