package dev.autodoc.orchestrator.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.event.JobProgress.Phase;
import dev.autodoc.orchestrator.job.JobEvents.JobEvent;
import dev.autodoc.orchestrator.job.JobEvents.Kind;
import dev.autodoc.orchestrator.job.StepTimeline.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepTimelineTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  private final List<JobEvent> log = new ArrayList<>();

  @Test
  void stepsArePairedPerScopeAndAttemptAndSummedPerStep() {
    step(null, "plan", Phase.STARTED, 1, 0);
    step(null, "plan", Phase.FINISHED, 1, 120);
    step("api", "fetch", Phase.STARTED, 1, 200);
    step("web", "fetch", Phase.STARTED, 1, 210);
    step("api", "fetch", Phase.FINISHED, 1, 260);
    // The web worker dies mid-fetch; attempt 2 elsewhere fails once, then a restart succeeds.
    step("web", "fetch", Phase.STARTED, 2, 900);
    step("web", "fetch", Phase.FAILED, 2, 950);
    step("web", "fetch", Phase.STARTED, 2, 1000);
    step("web", "fetch", Phase.STARTED, 2, 1100);
    step("web", "fetch", Phase.FINISHED, 2, 1130);
    step("web", "scan", Phase.STARTED, 2, 1140);
    log.add(
        new JobEvent(
            log.size() + 1, Kind.SCOPE, T, "api", null, null, 1, "w", "SUCCEEDED", 1, 2, null));
    log.add(
        new JobEvent(
            log.size() + 1, Kind.SCOPE, T, "web", null, null, 2, "w", "FAILED", 2, 2, "lost"));
    step(null, "finalize", Phase.STARTED, 1, 1200);
    // The root scope's path is empty: its steps are its own, not the orchestrator's.
    step("", "fetch", Phase.STARTED, 1, 1210);
    // The start of this step was never recorded.
    step("api", "embed", Phase.FINISHED, 1, 1300);
    // A scope's outcome and its progress come on two topics: its last step may end after it.
    step("lib", "embed", Phase.STARTED, 1, 1400);
    log.add(
        new JobEvent(
            log.size() + 1, Kind.SCOPE, T, "lib", null, null, 1, "w", "SUCCEEDED", 1, 2, null));
    step("lib", "embed", Phase.FINISHED, 1, 1440);

    var timeline = StepTimeline.of(log);

    assertThat(timeline.job())
        .extracting(StepTimeline.Step::step)
        .containsExactly("plan", "finalize");
    assertThat(timeline.job().getFirst().millis()).isEqualTo(120);
    assertThat(timeline.job().getLast().outcome()).isEqualTo(Outcome.RUNNING);
    assertThat(timeline.scopes().get(""))
        .extracting(StepTimeline.Step::step)
        .containsExactly("fetch");
    assertThat(timeline.scopes().get("web"))
        .extracting(
            StepTimeline.Step::attempt, StepTimeline.Step::outcome, StepTimeline.Step::millis)
        .containsExactly(
            // Its scope ended with this step still open: its worker had died.
            org.assertj.core.groups.Tuple.tuple(1, Outcome.ABANDONED, null),
            org.assertj.core.groups.Tuple.tuple(2, Outcome.FAILED, 50L),
            org.assertj.core.groups.Tuple.tuple(2, Outcome.ABANDONED, null),
            org.assertj.core.groups.Tuple.tuple(2, Outcome.FINISHED, 30L),
            org.assertj.core.groups.Tuple.tuple(2, Outcome.ABANDONED, null));
    assertThat(timeline.scopes().get("api"))
        .extracting(
            StepTimeline.Step::step, StepTimeline.Step::outcome, StepTimeline.Step::startedAt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("fetch", Outcome.FINISHED, T.plusMillis(200)),
            org.assertj.core.groups.Tuple.tuple("embed", Outcome.FINISHED, null));
    assertThat(timeline.scopes().get("lib"))
        .extracting(StepTimeline.Step::outcome, StepTimeline.Step::millis)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.FINISHED, 40L));
    // Only runs with both ends count; the plan first, then the scopes' steps in pipeline order.
    assertThat(timeline.totals())
        .containsExactly(
            new StepTimeline.Total("plan", 1, 0, 120),
            new StepTimeline.Total("fetch", 3, 1, 60 + 50 + 30),
            new StepTimeline.Total("embed", 1, 0, 40));
  }

  private void step(String scope, String step, Phase phase, int attempt, long at) {
    log.add(
        new JobEvent(
            log.size() + 1,
            Kind.STEP,
            T.plusMillis(at),
            scope,
            step,
            phase,
            attempt,
            "worker-" + attempt,
            null,
            null,
            null,
            null));
  }
}
