package dev.autodoc.orchestrator.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.autodoc.common.event.JobProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a job's time went: its step events paired into steps with a start, an end, an attempt and
 * an outcome; the orchestrator's own steps, each scope's, and the time summed per step.
 *
 * @param job the orchestrator's steps (plan, fan-out, finalize)
 * @param scopes each scope's steps, by scope path, in the order they ran
 * @param totals per step name, in pipeline order: how many ended, how many failed, their time
 */
public record StepTimeline(List<Step> job, Map<String, List<Step>> scopes, List<Total> totals) {

  public enum Outcome {
    RUNNING,
    FINISHED,
    FAILED,
    /**
     * Started again before it ended, or still open when its scope ended: its worker stopped, or its
     * lease ran out.
     */
    ABANDONED
  }

  /** One run of a step; {@code startedAt} is absent when its start event was lost. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Step(
      String step,
      Integer attempt,
      String workerId,
      Instant startedAt,
      Instant finishedAt,
      Long millis,
      Outcome outcome,
      String message) {}

  public record Total(String step, int runs, int failed, long millis) {}

  /** The key of the orchestrator's steps: no scope path (the root scope's is empty) has it. */
  private static final String JOB = "\0job";

  /**
   * Pairs the step events, oldest first, into steps; a scope's end status closes what it left open.
   */
  public static StepTimeline of(List<JobEvents.JobEvent> events) {
    Map<String, List<Step>> byScope = new LinkedHashMap<>();
    Map<String, Integer> open = new HashMap<>();
    // Steps still open when their scope's end came. Progress and outcomes are two topics, read
    // apart: a step's end may come after its scope's, and then closes it after all.
    Map<String, Integer> openAtScopeEnd = new HashMap<>();
    for (JobEvents.JobEvent e : events) {
      String scope = e.scope() == null ? JOB : e.scope();
      List<Step> steps = byScope.computeIfAbsent(scope, k -> new ArrayList<>());
      if (e.kind() == JobEvents.Kind.SCOPE) {
        // The scope has ended: a step still open was left by a worker that stopped.
        open.entrySet()
            .removeIf(
                o -> {
                  if (!o.getKey().startsWith(scope + '\0')) {
                    return false;
                  }
                  steps.set(
                      o.getValue(), with(steps.get(o.getValue()), null, Outcome.ABANDONED, null));
                  openAtScopeEnd.put(o.getKey(), o.getValue());
                  return true;
                });
        continue;
      }
      if (e.kind() != JobEvents.Kind.STEP) {
        continue;
      }
      String key = scope + '\0' + e.step() + '\0' + e.attempt();
      Integer at = open.remove(key);
      if (e.phase() == JobProgress.Phase.STARTED) {
        openAtScopeEnd.remove(key);
        if (at != null) {
          steps.set(at, with(steps.get(at), null, Outcome.ABANDONED, null));
        }
        open.put(key, steps.size());
        steps.add(
            new Step(
                e.step(), e.attempt(), e.workerId(), e.at(), null, null, Outcome.RUNNING, null));
      } else {
        Outcome outcome = e.phase() == JobProgress.Phase.FAILED ? Outcome.FAILED : Outcome.FINISHED;
        if (at == null) {
          at = openAtScopeEnd.remove(key);
        }
        if (at != null) {
          steps.set(at, with(steps.get(at), e.at(), outcome, e.message()));
        } else {
          steps.add(
              new Step(
                  e.step(), e.attempt(), e.workerId(), null, e.at(), null, outcome, e.message()));
        }
      }
    }
    List<Step> job = byScope.getOrDefault(JOB, List.of());
    byScope.remove(JOB);
    return new StepTimeline(job, byScope, totals(job, byScope));
  }

  private static Step with(Step started, Instant end, Outcome outcome, String message) {
    Long millis =
        end == null || started.startedAt() == null
            ? null
            : Duration.between(started.startedAt(), end).toMillis();
    return new Step(
        started.step(),
        started.attempt(),
        started.workerId(),
        started.startedAt(),
        end,
        millis,
        outcome,
        message);
  }

  private static List<Total> totals(List<Step> job, Map<String, List<Step>> scopes) {
    Map<String, long[]> sums = new LinkedHashMap<>();
    List<Step> all = new ArrayList<>();
    // The plan comes first, finalize last, the scopes' steps in between.
    job.stream().filter(s -> !s.step().equals(JobSteps.FINALIZE)).forEach(all::add);
    scopes.values().forEach(all::addAll);
    job.stream().filter(s -> s.step().equals(JobSteps.FINALIZE)).forEach(all::add);
    for (Step s : all) {
      if (s.millis() == null) {
        continue;
      }
      long[] sum = sums.computeIfAbsent(s.step(), k -> new long[3]);
      sum[0]++;
      sum[1] += s.outcome() == Outcome.FAILED ? 1 : 0;
      sum[2] += s.millis();
    }
    List<Total> totals = new ArrayList<>();
    sums.forEach((step, sum) -> totals.add(new Total(step, (int) sum[0], (int) sum[1], sum[2])));
    return totals;
  }
}
