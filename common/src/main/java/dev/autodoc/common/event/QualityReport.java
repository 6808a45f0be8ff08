package dev.autodoc.common.event;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * How good a job's documentation is, per scope and overall: pages, mean and lowest score, pages
 * below their scope's threshold, the quality loop's generation attempts and the scope's run
 * attempts. Scores are absent where there are no pages (a failed scope). The overall mean weighs
 * every page alike, so a large scope counts for more than a small one.
 */
public record QualityReport(Figures overall, List<ScopeQuality> scopes) {

  public QualityReport {
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }

  /** The figures of one scope or of the whole job. */
  public record Figures(
      int pages,
      Double meanScore,
      Double minScore,
      int belowThreshold,
      int generationAttempts,
      int runAttempts) {}

  public record ScopeQuality(String path, Figures figures) {}

  /** The report over any list of scopes, told how to read each one's path, summary and attempt. */
  public static <T> QualityReport of(
      List<T> scopes,
      Function<T, String> path,
      Function<T, QualitySummary> summary,
      ToIntFunction<T> runAttempt) {
    var perScope = new ArrayList<ScopeQuality>();
    int pages = 0;
    double scoreSum = 0;
    Double min = null;
    int below = 0;
    int generations = 0;
    int runs = 0;
    for (T scope : scopes) {
      QualitySummary q = summary.apply(scope);
      int attempt = runAttempt.applyAsInt(scope);
      runs += attempt;
      if (q == null || q.pages() == 0) {
        perScope.add(
            new ScopeQuality(
                path.apply(scope),
                new Figures(0, null, null, 0, q == null ? 0 : q.attempts(), attempt)));
        generations += q == null ? 0 : q.attempts();
        continue;
      }
      perScope.add(
          new ScopeQuality(
              path.apply(scope),
              new Figures(
                  q.pages(),
                  q.meanScore(),
                  q.minScore(),
                  q.belowThreshold(),
                  q.attempts(),
                  attempt)));
      pages += q.pages();
      scoreSum += q.meanScore() * q.pages();
      min = min == null ? q.minScore() : Math.min(min, q.minScore());
      below += q.belowThreshold();
      generations += q.attempts();
    }
    Double mean = pages == 0 ? null : scoreSum / pages;
    return new QualityReport(new Figures(pages, mean, min, below, generations, runs), perScope);
  }
}
