package dev.autodoc.common.event;

import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.scope.ScopeConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One fully populated instance of every event type. */
final class EventSamples {
  static final UUID JOB = UUID.fromString("3f1c2a4e-8d7b-4c1a-9e2f-0a1b2c3d4e5f");
  static final Instant AT = Instant.parse("2026-11-22T08:00:00Z");
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  private EventSamples() {}

  static List<AutodocEvent> all() {
    var inventory =
        new ScanInventory(
            3,
            1200,
            Map.of("java", new ScanInventory.LanguageCount(2, 1000)),
            Map.of("binary", 1),
            List.of(new ScanInventory.SkippedFile("logo.png", "binary")));
    var error = ErrorReport.of(Reason.LIMIT_EXCEEDED, "too many files");
    return List.of(
        new JobRequested(
            UUID.randomUUID(),
            JOB,
            AT,
            1,
            "/srv/repo",
            "main",
            JobMode.FULL,
            false,
            true,
            "https://example.org/hook"),
        new ScopeRequested(
            UUID.randomUUID(),
            JOB,
            AT,
            1,
            "repo-0a1b2c3d4e",
            "file:///srv/repo",
            SHA,
            "payments",
            ScopeConfig.defaults("payments"),
            List.of("payments/ledger"),
            1),
        new ScopeRequested(
            UUID.randomUUID(),
            JOB,
            AT,
            1,
            "repo-0a1b2c3d4e",
            "file:///srv/repo",
            SHA,
            "payments",
            ScopeConfig.defaults("payments"),
            List.of(),
            1,
            new ScopeRequested.Baseline(
                UUID.randomUUID(), SHA, false, List.of("src/Ledger.java", "src/Money.java"))),
        new ScopeCompleted(
            UUID.randomUUID(),
            JOB,
            AT,
            1,
            "payments",
            1,
            "worker-1",
            inventory,
            new QualitySummary(4, 0.91, 0.82, 0, 5),
            new TokenUsage(1200, 800),
            42),
        new ScopeFailed(UUID.randomUUID(), JOB, AT, 1, "payments", 2, "worker-1", error, 7),
        new JobCompleted(
            UUID.randomUUID(),
            JOB,
            AT,
            1,
            "repo-0a1b2c3d4e",
            "file:///srv/repo",
            JobStatus.FAILED,
            SHA,
            null,
            List.of(new JobCompleted.ScopeResult("payments", ScopeStatus.FAILED, 2, error)),
            error,
            null,
            null),
        new JobCompleted(
            UUID.randomUUID(),
            JOB,
            AT,
            1,
            "repo-0a1b2c3d4e",
            "file:///srv/repo",
            JobStatus.COMPLETED,
            SHA,
            "0123456789abcdef0123456789abcdef01234567",
            List.of(
                new JobCompleted.ScopeResult(
                    "payments",
                    ScopeStatus.SUCCEEDED,
                    1,
                    null,
                    new QualitySummary(4, 0.91, 0.82, 0, 5),
                    new TokenUsage(1200, 800))),
            null,
            new PullRequest("file:///srv/repo#autodoc/" + JOB, "autodoc/" + JOB, SHA, 7),
            "https://ci.example.org/hooks/autodoc"),
        new JobProgress(
            UUID.randomUUID(),
            JOB,
            AT,
            1,
            "payments",
            "scan",
            JobProgress.Phase.FINISHED,
            3,
            3,
            null,
            2,
            "worker-a"));
  }
}
