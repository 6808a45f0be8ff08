package dev.autodoc.support.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
