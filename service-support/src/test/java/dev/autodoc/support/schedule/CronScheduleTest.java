package dev.autodoc.support.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  @Test
  void aUnixExpressionFallsDueInItsTimeZone() {
    // 02:30 every day in Berlin, which is UTC+1 in January.
    CronSchedule nightly = CronSchedule.parse("30 2 * * *", "Europe/Berlin");
    Instant now = Instant.parse("2026-01-10T12:00:00Z");
    assertThat(nightly.lastDue(now)).contains(Instant.parse("2026-01-10T01:30:00Z"));
    assertThat(nightly.nextDue(now)).contains(Instant.parse("2026-01-11T01:30:00Z"));
    // A time that is itself due counts as due.
    assertThat(nightly.lastDue(Instant.parse("2026-01-11T01:30:00Z")))
        .contains(Instant.parse("2026-01-11T01:30:00Z"));
  }

  @Test
  void sixFieldsPutSecondsFirstAndTheDefaultZoneIsUtc() {
    CronSchedule everyFiveSeconds = CronSchedule.parse(" */5 * * * * * ", null);
    assertThat(everyFiveSeconds.expression()).isEqualTo("*/5 * * * * *");
    assertThat(everyFiveSeconds.zone().getId()).isEqualTo("UTC");
    assertThat(everyFiveSeconds.lastDue(Instant.parse("2026-03-01T10:00:07.5Z")))
        .contains(Instant.parse("2026-03-01T10:00:05Z"));
    assertThat(everyFiveSeconds.nextDue(Instant.parse("2026-03-01T10:00:07.5Z")))
        .contains(Instant.parse("2026-03-01T10:00:10Z"));
  }

  @Test
  void badExpressionsAndZonesAreNamed() {
    assertThatThrownBy(() -> CronSchedule.parse("* * *", "UTC"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cron: '* * *' has 3 fields; expected 5");
    assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", "UTC"))
        .hasMessageStartingWith("cron: '61 * * * *' is not valid");
    assertThatThrownBy(() -> CronSchedule.parse("0 3 * * *", "Mars/Olympus"))
        .hasMessage("timeZone: 'Mars/Olympus' is not a time zone");
    // Both fields at once.
    assertThatThrownBy(() -> CronSchedule.parse("  ", ""))
        .isInstanceOfSatisfying(
            CronSchedule.Invalid.class,
            e ->
                assertThat(e.problems())
                    .containsEntry("cron", "is required")
                    .containsEntry("timeZone", "'' is not a time zone"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"0 0 30 2 *", "0 0 31 4 *", "0 0 0 31 11 *"})
  void aScheduleThatNeverFallsDueIsRefused(String cron) {
    assertThatThrownBy(() -> CronSchedule.parseNew(cron, "UTC", MINUTE, "min"))
        .isInstanceOfSatisfying(
            CronSchedule.Invalid.class,
            e -> assertThat(e.problems().get("cron")).contains("never falls due"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "'* * * * * *', 1",
    "'*/30 * * * * *', 30",
    "'0,10 * * * * *', 10",
    // Every minute, but only during one hour on one day of the year: still a minute apart.
    "'0 * 3 7 4 *', 60",
  })
  void aScheduleFallingDueMoreOftenThanTheMinimumIsRefused(String cron, long seconds) {
    Duration minimum = seconds == 60 ? Duration.ofMinutes(2) : MINUTE;
    assertThatThrownBy(() -> CronSchedule.parseNew(cron, "UTC", minimum, "the.setting"))
        .isInstanceOfSatisfying(
            CronSchedule.Invalid.class,
            e ->
                assertThat(e.problems().get("cron"))
                    .contains("falls due " + seconds + " s apart")
                    .contains("the.setting"));
  }

  @Test
  void theShortestGapIsNamedWhateverTheTimeOfDay() {
    // Just after second 0 the next gaps read 50 s, then 10 s: the refusal names the 10 s.
    for (String at : java.util.List.of("2026-12-01T17:37:04Z", "2026-12-01T17:37:11Z")) {
      assertThatThrownBy(
              () ->
                  CronSchedule.parseNew(
                      "0,10 * * * * *", "UTC", MINUTE, "m", java.time.Instant.parse(at)))
          .hasMessageContaining("falls due 10 s apart");
    }
  }

  @Test
  void schedulesAtTheMinimumOrSlowerAreAccepted() {
    for (String cron : java.util.List.of("* * * * *", "0 3 * * 1-5", "0 0 29 2 *", "0 * * * * *")) {
      assertThat(CronSchedule.parseNew(cron, "Europe/Berlin", MINUTE, "m").expression())
          .isEqualTo(cron);
    }
  }

  private static final Duration MINUTE = Duration.ofMinutes(1);
}
