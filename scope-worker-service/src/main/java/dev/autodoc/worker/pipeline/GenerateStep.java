package dev.autodoc.worker.pipeline;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.support.llm.LlmClient;
import dev.autodoc.support.llm.LlmSettings;
import dev.autodoc.worker.WorkerConfig;
import dev.autodoc.worker.docs.AgentSession;
import dev.autodoc.worker.docs.SessionRecorder;
import dev.autodoc.worker.docs.llm.LlmPageGenerator;
import dev.autodoc.worker.docs.llm.LlmStructurePlanner;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.docs.pages.QualityLoop;
import dev.autodoc.worker.docs.pages.QualityScorer;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.DocStructure;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.structure.StructureSchema;
import dev.autodoc.worker.persistence.PreviousRun;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Writes every page of the structure through the quality loop (regenerated with its findings while
 * below {@code agent.quality_threshold}, up to {@code agent.max_attempts}), then distills the scope
 * README. Each page and the README are an agent session, recorded while it runs.
 *
 * <p>In {@code agent.mode: llm} the LLM first plans the structure (grounded in the parsers'
 * proposal and checked against the structure schema), then writes each page; the quality loop and
 * its checks are the same as for the static writer. The README stays distilled from the parsed
 * facts. Every token used is counted on its page, its session and the scope.
 *
 * <p>An incremental run (a request with a baseline) keeps every page of the previous run whose
 * sources are the same files and none of them changed: it is carried over as it was, with no
 * session and no tokens. The overview is kept only while the pages, the module graph and the build
 * commands it shows are the same. Pages the structure no longer has are dropped; the rest are
 * written. The static agent's structure always comes fresh from the parsers (it costs nothing); the
 * LLM's is planned again only when files were added, removed or renamed.
 */
@ApplicationScoped
public class GenerateStep implements PipelineStep {
  static final String STATIC = "static";
  static final String LLM = "llm";
  static final String STRUCTURE_SESSION = "(structure)";

  private final QualityScorer scorer = new QualityScorer();
  private final QualityLoop staticLoop = new QualityLoop(new StaticPageGenerator(), scorer);
  private final SessionRecorder sessions;
  private final WorkerConfig.Llm llm;

  GenerateStep(SessionRecorder sessions, WorkerConfig config) {
    this.sessions = sessions;
    this.llm = config.llm();
  }

  @Override
  public String name() {
    return "generate";
  }

  @Override
  public void run(ScopeContext context) {
    ScopeConfig config = context.request().config();
    DocContext docs = context.docs();
    ScopeRequested.Baseline baseline = context.request().baseline();
    Optional<PreviousRun> previous = context.previous();
    QualityLoop loop = staticLoop;
    String agent = STATIC;
    if (config.agent().mode() == ScopeConfig.AgentMode.LLM) {
      LlmClient client = new LlmClient(settings(llm));
      agent = LLM;
      if (previous.isPresent() && !baseline.restructure()) {
        // Files only changed in place: the structure the LLM planned last time stands.
        docs = docs.withStructure(previous.get().structure());
      } else {
        docs = plan(context, docs, client);
      }
      context.extracted(docs);
      loop = new QualityLoop(new LlmPageGenerator(client), scorer);
    }
    String dir = config.output().pagesPrefix();
    Set<String> changed = baseline == null ? Set.of() : Set.copyOf(baseline.changedFiles());
    DocStructure structure = docs.structure();
    boolean sameShape = previous.map(p -> sameShape(p.structure(), structure)).orElse(false);
    List<Page> pages = new ArrayList<>();
    // An LLM's session is recorded as it starts, to be watched while it works; the static agent's
    // are recorded together when the step ends, however it ends.
    boolean watched = !agent.equals(STATIC);
    List<SessionRecorder.Finished> finished = new ArrayList<>();
    try {
      for (PagePlan plan : docs.structure().pages()) {
        if (context.cancelled()) {
          return;
        }
        Optional<PreviousRun.StoredPage> unchanged =
            previous
                .flatMap(p -> p.page(dir + plan.path()))
                .filter(old -> same(old, plan, changed))
                // The overview shows the pages, the module graph and the build: it follows them.
                .filter(old -> plan.kind() != PagePlan.Kind.OVERVIEW || sameShape);
        if (unchanged.isPresent()) {
          context.keep(unchanged.get());
          pages.add(unchanged.get().asPage(plan.path()));
          continue;
        }
        pages.add(page(context, docs, loop, agent, plan, watched, finished));
      }
    } finally {
      sessions.recordAll(finished);
    }
    context.generated(pages);
  }

  /** Writes one page through the quality loop, as one agent session. */
  private Page page(
      ScopeContext context,
      DocContext docs,
      QualityLoop loop,
      String agent,
      PagePlan plan,
      boolean watched,
      List<SessionRecorder.Finished> finished) {
    ScopeConfig config = context.request().config();
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("page", plan.path());
    input.put("kind", plan.kind().name());
    input.put("module", plan.module());
    input.put("sourceFiles", plan.sourceFiles());
    input.put("ownedSymbols", plan.ownedSymbols().size());
    input.put("threshold", config.agent().qualityThreshold());
    input.put("maxAttempts", config.agent().maxAttempts());
    UUID jobId = context.request().jobId();
    String scopePath = context.request().scopePath();
    UUID session = watched ? sessions.open(jobId, scopePath, plan.path(), agent, input) : null;
    List<AgentSession.Step> steps = new ArrayList<>();
    String status = "FAILED";
    AgentSession result = null;
    try {
      Page page =
          loop.run(
              plan,
              docs,
              config.agent().qualityThreshold(),
              config.agent().maxAttempts(),
              steps::add);
      context.used(page.tokens());
      status = "COMPLETED";
      result =
          new AgentSession(
              agent,
              input,
              steps,
              page.markdown(),
              (int) page.tokens().prompt(),
              (int) page.tokens().completion());
      return page;
    } catch (RuntimeException e) {
      result = new AgentSession(agent, input, steps, e.toString(), 0, 0);
      throw e;
    } finally {
      if (result == null) { // an Error: the page was not written
        result = new AgentSession(agent, input, steps, "stopped before the page was written", 0, 0);
      }
      if (session != null) {
        sessions.close(session, status, result);
      } else {
        finished.add(new SessionRecorder.Finished(jobId, scopePath, plan.path(), status, result));
      }
    }
  }

  /**
   * Whether an earlier page still stands for a planned one: made from the same sources, none of
   * which changed since.
   */
  private static boolean same(PreviousRun.StoredPage old, PagePlan plan, Set<String> changed) {
    return old.kind().equals("PAGE")
        && Set.copyOf(old.sources()).equals(Set.copyOf(plan.sourceFiles()))
        && plan.sourceFiles().stream().noneMatch(changed::contains);
  }

  /** Whether two structures have the same pages, module dependencies and build commands. */
  private static boolean sameShape(DocStructure before, DocStructure now) {
    return before.pages().stream()
            .map(PagePlan::path)
            .toList()
            .equals(now.pages().stream().map(PagePlan::path).toList())
        && before.moduleDependencies().equals(now.moduleDependencies())
        && before.buildCommands().equals(now.buildCommands());
  }

  /** The LLM's structure for the scope, recorded as a session of its own. */
  private DocContext plan(ScopeContext context, DocContext docs, LlmClient client) {
    ScopeConfig config = context.request().config();
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("model", client.model());
    input.put("proposedPages", docs.structure().pages().size());
    input.put("maxAttempts", config.agent().maxAttempts());
    UUID session =
        sessions.open(
            context.request().jobId(),
            context.request().scopePath(),
            STRUCTURE_SESSION,
            LLM,
            input);
    List<AgentSession.Step> steps = new ArrayList<>();
    try {
      LlmStructurePlanner.Planned planned =
          new LlmStructurePlanner(client).plan(docs, config.agent().maxAttempts(), steps::add);
      context.used(planned.tokens());
      sessions.close(
          session,
          "COMPLETED",
          new AgentSession(
              LLM,
              input,
              steps,
              StructureSchema.toJson(planned.structure()).toString(),
              (int) planned.tokens().prompt(),
              (int) planned.tokens().completion()));
      return docs.withStructure(planned.structure());
    } catch (RuntimeException e) {
      sessions.close(session, "FAILED", new AgentSession(LLM, input, steps, e.toString(), 0, 0));
      throw e;
    }
  }

  static LlmSettings settings(WorkerConfig.Llm llm) {
    String baseUrl =
        llm.baseUrl()
            .orElseThrow(
                () ->
                    new PermanentException(
                        Reason.INVALID_SCOPE_CONFIG,
                        "agent.mode 'llm' needs an LLM endpoint, and this worker has none:"
                            + " set autodoc.worker.llm.base-url (and api-key, model)"));
    return llm.settings(baseUrl);
  }
}
