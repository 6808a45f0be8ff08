package dev.autodoc.orchestrator.ask;

import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.support.llm.LlmClient;
import dev.autodoc.support.llm.TokenMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Answers a question about documented repositories from their documentation and code, through the
 * configured OpenAI-compatible model: {@link Evidence} gathers the sources; with none, the answer
 * says there is no evidence and the model is not asked. The model is told to answer only from the
 * sources and to cite one for every sentence; {@link AnswerCheck} checks what it wrote. An answer
 * that fails is asked for again with the findings ({@code ask.retries} times); one that still fails
 * is returned with each failing part marked {@code [unverified: …]}. The tokens of every request
 * are counted on {@code autodoc.llm.tokens}, as pages' are.
 */
@ApplicationScoped
public class Answers {
  static final String NO_EVIDENCE = "NO_EVIDENCE";

  private static final String INSTRUCTIONS =
      """
      You answer questions about code repositories for a programmer, using only the sources \
      given: sections of the repositories' documentation and lines of their code.
      Rules:
      1. Say only what the sources say. Add nothing from your own knowledge.
      2. End every sentence with the citation of the source it comes from, written exactly as \
      the source gives it, for example [repo:docs/page.md#section] or [repo:src/File.java:10-20]. \
      You may cite fewer lines of a code source than it shows.
      3. Write names from the code in backticks, exactly as the sources write them, and no name \
      the sources do not have.
      4. If the sources do not answer the question, reply with exactly NO_EVIDENCE.
      Answer briefly, in Markdown.""";

  private final Evidence evidence;
  private final AnswerCheck check;
  private final MeterRegistry registry;
  private final OrchestratorConfig.Ask settings;
  private final Optional<LlmClient> model;

  Answers(Evidence evidence, AnswerCheck check, MeterRegistry registry, OrchestratorConfig config) {
    this.evidence = evidence;
    this.check = check;
    this.registry = registry;
    this.settings = config.ask();
    var llm = config.llm();
    this.model = llm.baseUrl().map(url -> new LlmClient(llm.settings(url)));
  }

  /** Whether a model is configured: without one there is no {@code ask}. */
  public boolean enabled() {
    return model.isPresent();
  }

  /**
   * The answer: its Markdown, whether every check passed, whether there was evidence at all, the
   * requests it took, its citations (each resolved or not), what failed, the sources and tokens.
   */
  public record Answer(
      String markdown,
      boolean verified,
      boolean evidence,
      int attempts,
      List<Citation> citations,
      List<String> unverified,
      List<Evidence.Source> sources,
      TokenUsage tokens) {}

  /** A citation of the answer and whether it resolved. */
  public record Citation(
      String citation,
      String repository,
      String path,
      String anchor,
      Integer line,
      Integer endLine,
      boolean resolves) {}

  public Uni<Answer> ask(List<Evidence.Searched> searched, String question, String tag) {
    var llm = model.orElseThrow(() -> new IllegalStateException("no LLM is configured"));
    return evidence
        .gather(searched, question)
        .chain(
            sources ->
                sources.isEmpty()
                    ? Uni.createFrom().item(noEvidence(searched, sources, TokenUsage.NONE, 0))
                    : attempt(llm, searched, question, sources, null, null, TokenUsage.NONE, 1))
        .invoke(answer -> count(answer.tokens(), tag));
  }

  private Uni<Answer> attempt(
      LlmClient llm,
      List<Evidence.Searched> searched,
      String question,
      List<Evidence.Source> sources,
      String previous,
      AnswerCheck.Result failed,
      TokenUsage spent,
      int attempt) {
    String prompt = Prompts.question(question, sources, previous, failed);
    return Uni.createFrom()
        .item(() -> llm.chat(INSTRUCTIONS, prompt, false))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .chain(
            reply -> {
              TokenUsage tokens = spent.plus(reply.tokens());
              String answer = reply.text().strip();
              if (answer.startsWith(NO_EVIDENCE)) {
                return Uni.createFrom().item(noEvidence(searched, sources, tokens, attempt));
              }
              return check
                  .check(answer, searched)
                  .chain(
                      result -> {
                        if (result.passed() || attempt > settings.retries()) {
                          return Uni.createFrom()
                              .item(answered(answer, result, sources, tokens, attempt));
                        }
                        return attempt(
                            llm, searched, question, sources, answer, result, tokens, attempt + 1);
                      });
            });
  }

  private static Answer answered(
      String answer,
      AnswerCheck.Result result,
      List<Evidence.Source> sources,
      TokenUsage tokens,
      int attempts) {
    String marked = answer;
    for (var finding : result.findings()) {
      int at = marked.indexOf(finding.text());
      if (at >= 0) {
        int end = at + finding.text().length();
        marked = marked.substring(0, end) + " " + finding.note() + marked.substring(end);
      }
    }
    List<Citation> citations =
        result.citations().stream()
            .map(
                e ->
                    new Citation(
                        e.getKey().text(),
                        e.getKey().repository(),
                        e.getKey().path(),
                        e.getKey().anchor(),
                        e.getKey().line(),
                        e.getKey().endLine(),
                        e.getValue()))
            .toList();
    return new Answer(
        marked,
        result.passed(),
        true,
        attempts,
        citations,
        result.findings().stream().map(AnswerCheck.Finding::message).toList(),
        sources,
        tokens);
  }

  private static Answer noEvidence(
      List<Evidence.Searched> searched,
      List<Evidence.Source> sources,
      TokenUsage tokens,
      int attempts) {
    String names = String.join(", ", searched.stream().map(Evidence.Searched::id).toList());
    return new Answer(
        "No evidence: the documentation and code searched ("
            + (names.isEmpty() ? "no documented repository" : names)
            + ") hold nothing that answers this question, so there is no answer to give.",
        true,
        false,
        attempts,
        List.of(),
        List.of(),
        sources,
        tokens);
  }

  private void count(TokenUsage tokens, String repository) {
    TokenMetrics.count(registry, repository, tokens);
  }
}
