package dev.autodoc.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.error.Reason;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QualityReportTest {

  @Test
  void weighsEveryPageAlikeAndKeepsFailedScopesWithoutScores() {
    var completed =
        new JobCompleted(
            UUID.randomUUID(),
            UUID.randomUUID(),
            Instant.now(),
            1,
            "repo-1",
            "file:///srv/repo",
            JobStatus.FAILED,
            null,
            null,
            List.of(
                new JobCompleted.ScopeResult(
                    "api",
                    ScopeStatus.SUCCEEDED,
                    1,
                    null,
                    new QualitySummary(3, 0.9, 0.8, 0, 4),
                    new TokenUsage(300, 100)),
                new JobCompleted.ScopeResult(
                    "web",
                    ScopeStatus.SUCCEEDED,
                    2,
                    null,
                    new QualitySummary(1, 0.5, 0.5, 1, 3),
                    new TokenUsage(50, 25)),
                new JobCompleted.ScopeResult(
                    "cli",
                    ScopeStatus.FAILED,
                    3,
                    ErrorReport.of(Reason.SCOPE_TIMED_OUT, "silent"))),
            null,
            null,
            null);

    QualityReport report = completed.quality();

    assertThat(report.overall().pages()).isEqualTo(4);
    // (3 * 0.9 + 1 * 0.5) / 4, not the mean of the two means (0.7).
    assertThat(report.overall().meanScore())
        .isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(report.overall().minScore()).isEqualTo(0.5);
    assertThat(report.overall().belowThreshold()).isEqualTo(1);
    assertThat(report.overall().generationAttempts()).isEqualTo(7);
    assertThat(report.overall().runAttempts()).isEqualTo(6);
    assertThat(report.scopes())
        .extracting(QualityReport.ScopeQuality::path)
        .containsExactly("api", "web", "cli");
    var cli = report.scopes().get(2).figures();
    assertThat(cli.pages()).isZero();
    assertThat(cli.meanScore()).isNull();
    assertThat(cli.runAttempts()).isEqualTo(3);
    assertThat(completed.tokens()).isEqualTo(new TokenUsage(350, 125));
  }
}
