package dev.autodoc.worker.docs.pages;

import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.worker.docs.structure.PagePlan;
import java.util.List;

/**
 * Generates a page, scores it, and while the score is below the threshold generates it again with
 * the findings as feedback, up to the attempts allowed. The best attempt is kept with its score.
 */
public final class QualityLoop {
  private final PageGenerator generator;
  private final QualityScorer scorer;

  public QualityLoop(PageGenerator generator, QualityScorer scorer) {
    this.generator = generator;
    this.scorer = scorer;
  }

  public Page run(PagePlan plan, DocContext context, double threshold, int maxAttempts) {
    return run(plan, context, threshold, maxAttempts, step -> {});
  }

  /** Runs the loop, telling {@code steps} about each attempt as it ends (for the agent session). */
  public Page run(
      PagePlan plan,
      DocContext context,
      double threshold,
      int maxAttempts,
      java.util.function.Consumer<dev.autodoc.worker.docs.AgentSession.Step> steps) {
    List<String> feedback = List.of();
    Page best = null;
    int tries = 0;
    TokenUsage tokens = TokenUsage.NONE;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      tries = attempt;
      long started = System.nanoTime();
      PageGenerator.Draft draft = generator.draft(plan, context, feedback);
      String markdown = draft.markdown();
      tokens = tokens.plus(draft.tokens());
      QualityScorer.Score score = scorer.score(plan, markdown, context);
      steps.accept(
          new dev.autodoc.worker.docs.AgentSession.Step(
              attempt, score.value(), score.findings(), (System.nanoTime() - started) / 1_000_000));
      if (best == null || score.value() > best.score()) {
        best =
            new Page(
                plan.path(),
                plan.title(),
                markdown,
                score.value(),
                score.findings(),
                attempt,
                plan.sourceFiles(),
                TokenUsage.NONE);
      }
      if (score.value() >= threshold) {
        break;
      }
      feedback = score.findings();
    }
    // The best attempt is kept; its attempts count says how many tries were made in all.
    return new Page(
        best.path(),
        best.title(),
        best.markdown(),
        best.score(),
        best.findings(),
        tries,
        best.sourceFiles(),
        tokens);
  }
}
