package dev.autodoc.support.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A repository's cron schedule in its time zone. Five fields are a Unix cron expression ({@code
 * minute hour day-of-month month day-of-week}, as crontab and Kubernetes CronJobs write them); six
 * put seconds first (as Spring writes them). Parsing and the times are cron-utils'.
 */
public final class CronSchedule {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime times;

  private CronSchedule(String expression, ZoneId zone, ExecutionTime times) {
    this.expression = expression;
    this.zone = zone;
    this.times = times;
  }

  /** What is wrong with a schedule, by field ({@code cron}, {@code timeZone}). */
  public static final class Invalid extends IllegalArgumentException {
    private final Map<String, String> problems;

    Invalid(Map<String, String> problems) {
      super(
          String.join(
              "; ",
              problems.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()));
      this.problems = Map.copyOf(problems);
    }

    public Map<String, String> problems() {
      return problems;
    }
  }

  /** Due times sampled to find a schedule's shortest gap: any cron shows it well within these. */
  private static final int SAMPLED = 1_000;

  /**
   * Parses a new schedule: as {@link #parse(String, String)}, and it must fall due at all, and
   * never twice within {@code minInterval} (a schedule every second would flood the queue with
   * jobs).
   *
   * @param minIntervalSetting the setting that holds the minimum, named in the message
   * @throws Invalid naming what is wrong
   */
  public static CronSchedule parseNew(
      String expression, String zone, Duration minInterval, String minIntervalSetting) {
    return parseNew(expression, zone, minInterval, minIntervalSetting, Instant.now());
  }

  static CronSchedule parseNew(
      String expression,
      String zone,
      Duration minInterval,
      String minIntervalSetting,
      Instant now) {
    CronSchedule schedule = parse(expression, zone);
    Optional<Instant> next = schedule.nextDue(now);
    if (next.isEmpty()) {
      throw new Invalid(
          Map.of("cron", "'" + schedule.expression + "' never falls due (no such date exists)"));
    }
    Duration shortest = null;
    Instant previous = next.get();
    for (int i = 0; i < SAMPLED; i++) {
      Optional<Instant> following = schedule.nextDue(previous);
      if (following.isEmpty()) {
        break;
      }
      Duration gap = Duration.between(previous, following.get());
      if (shortest == null || gap.compareTo(shortest) < 0) {
        shortest = gap;
      }
      previous = following.get();
    }
    // The whole sample is read before judging, so the message names the shortest gap whatever
    // the time of day: '0,10 * * * * *' is 10 s apart even when the first gap read is 50 s.
    if (shortest != null && shortest.compareTo(minInterval) < 0) {
      throw new Invalid(
          Map.of(
              "cron",
              "'"
                  + schedule.expression
                  + "' falls due "
                  + shortest.toSeconds()
                  + " s apart; schedules must be at least "
                  + minInterval.toSeconds()
                  + " s apart ("
                  + minIntervalSetting
                  + ")"));
    }
    return schedule;
  }

  /**
   * Parses {@code expression} in time zone {@code zone} (an IANA name such as {@code
   * Europe/Berlin}; {@code UTC} when null).
   *
   * @throws Invalid naming what is wrong with the expression, the zone, or both
   */
  public static CronSchedule parse(String expression, String zone) {
    Map<String, String> problems = new LinkedHashMap<>();
    ExecutionTime times = null;
    String trimmed = expression == null ? "" : expression.trim();
    int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    if (fields == 0) {
      problems.put("cron", "is required");
    } else if (fields != 5 && fields != 6) {
      problems.put(
          "cron",
          "'"
              + trimmed
              + "' has "
              + fields
              + " fields; expected 5 (minute hour day-of-month month day-of-week)"
              + " or 6 (with seconds first)");
    } else {
      try {
        times =
            ExecutionTime.forCron((fields == 5 ? UNIX : WITH_SECONDS).parse(trimmed).validate());
      } catch (IllegalArgumentException e) {
        problems.put("cron", "'" + trimmed + "' is not valid: " + e.getMessage());
      }
    }
    ZoneId zoneId = null;
    try {
      zoneId = ZoneId.of(zone == null ? "UTC" : zone.trim());
    } catch (DateTimeException e) {
      problems.put("timeZone", "'" + zone + "' is not a time zone");
    }
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    return new CronSchedule(trimmed, zoneId, times);
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The latest time the schedule fell due at or before {@code now}. */
  public Optional<Instant> lastDue(Instant now) {
    // cron-utils answers strictly before the time it is given.
    return times.lastExecution(now.plusNanos(1).atZone(zone)).map(t -> t.toInstant());
  }

  /** The next time the schedule falls due after {@code now}. */
  public Optional<Instant> nextDue(Instant now) {
    return times.nextExecution(now.atZone(zone)).map(t -> t.toInstant());
  }

  @Override
  public String toString() {
    return expression + " (" + zone + ")";
  }
}
