package dev.autodoc.orchestrator.plan;

import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.event.JobMode;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.common.scope.FileSelection;
import dev.autodoc.common.scope.Scope;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.orchestrator.git.FileChange;
import dev.autodoc.orchestrator.git.GitProvider;
import dev.autodoc.orchestrator.git.GitProviders;
import dev.autodoc.orchestrator.job.Job;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Plans a job: discovers the scopes at the branch head, finds each scope's last successful run,
 * asks the git provider what changed since (one compare per distinct commit those runs documented)
 * and decides per scope with {@link ChangePlanner}.
 *
 * <p>The mode a job did not name is incremental when the repository has a successful run, full
 * otherwise. A baseline commit the provider cannot compare (history rewritten, commit gone) makes
 * the scopes built on it run in full, with that reason; a transient failure fails the planning
 * attempt, to be retried.
 */
@ApplicationScoped
public class JobPlanner {
  private static final Logger LOG = Logger.getLogger(JobPlanner.class);

  private final Planner planner;
  private final PreviousRuns previousRuns;
  private final GitProviders providers;

  JobPlanner(Planner planner, PreviousRuns previousRuns, GitProviders providers) {
    this.planner = planner;
    this.previousRuns = previousRuns;
    this.providers = providers;
  }

  /** The scopes found at the commit and what the job does with each. */
  public record Planned(Plan discovered, JobPlan plan) {
    /** The scopes to dispatch, each with its decision. */
    public Map<Scope, ChangePlanner.ScopePlan> dispatched() {
      Map<String, ChangePlanner.ScopePlan> byPath =
          plan.scopes().stream().collect(Collectors.toMap(ChangePlanner.ScopePlan::scope, s -> s));
      Map<Scope, ChangePlanner.ScopePlan> dispatched = new java.util.LinkedHashMap<>();
      for (Scope scope : discovered.scopes()) {
        if (byPath.get(scope.path()).dispatched()) {
          dispatched.put(scope, byPath.get(scope.path()));
        }
      }
      return dispatched;
    }
  }

  public Uni<Planned> plan(Job job) {
    return previousRuns
        .of(job.repositoryId())
        .chain(
            previous ->
                Uni.createFrom()
                    .item(() -> decide(job, previous))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
  }

  /** Blocking: git and the provider's API. */
  private Planned decide(Job job, Map<String, PreviousRuns.Run> previous) {
    RepositoryRef ref = RepositoryRef.parse(job.repositoryUrl());
    Plan discovered = planner.plan(ref, job.branch());
    String head = discovered.commitSha();
    JobMode mode =
        job.mode() != null ? job.mode() : previous.isEmpty() ? JobMode.FULL : JobMode.INCREMENTAL;
    ChangePlanner.Everything everything =
        job.force()
            ? ChangePlanner.Everything.FORCED
            : mode == JobMode.FULL
                ? ChangePlanner.Everything.FULL_MODE
                : ChangePlanner.Everything.NO;
    Set<String> current = discovered.scopes().stream().map(Scope::path).collect(Collectors.toSet());
    Map<String, List<FileChange>> changesSince = new HashMap<>();
    Map<String, String> incomparable = new HashMap<>();
    if (everything == ChangePlanner.Everything.NO) {
      GitProvider comparer = providers.comparer(ref);
      previous.entrySet().stream()
          .filter(e -> current.contains(e.getKey()))
          .map(e -> e.getValue().previous().commit())
          .distinct()
          .forEach(
              base -> {
                if (base.equals(head)) {
                  changesSince.put(base, List.of());
                  return;
                }
                try {
                  changesSince.put(base, comparer.compare(ref, base, head));
                } catch (TransientException e) {
                  throw e;
                } catch (RuntimeException e) {
                  LOG.infof("job %s: cannot compare %s with %s: %s", job.id(), base, head, e);
                  incomparable.put(base, e.getMessage());
                }
              });
    }
    List<ChangePlanner.ScopePlan> decisions = new ArrayList<>();
    for (Scope scope : discovered.scopes()) {
      Optional<ChangePlanner.Previous> last =
          Optional.ofNullable(previous.get(scope.path())).map(PreviousRuns.Run::previous);
      String base = last.map(ChangePlanner.Previous::commit).orElse(null);
      decisions.add(
          base != null && incomparable.containsKey(base)
              ? ChangePlanner.full(
                  scope,
                  "its last run's commit "
                      + base.substring(0, Math.min(10, base.length()))
                      + " cannot be compared with "
                      + head.substring(0, 10)
                      + ": "
                      + incomparable.get(base),
                  last.get())
              : ChangePlanner.plan(
                  scope, last, changesSince.getOrDefault(base, List.of()), everything));
    }
    decisions = estimate(ref, discovered, decisions, previous);
    String baseline =
        everything != ChangePlanner.Everything.NO
            ? null
            : previous.entrySet().stream()
                .filter(e -> current.contains(e.getKey()))
                .map(java.util.Map.Entry::getValue)
                .min(Comparator.comparing(PreviousRuns.Run::jobCreatedAt))
                .map(r -> r.previous().commit())
                .orElse(null);
    List<JobPlan.RemovedScope> removed =
        previous.entrySet().stream()
            .filter(e -> !current.contains(e.getKey()))
            .map(e -> new JobPlan.RemovedScope(e.getKey(), e.getValue().previous().jobId()))
            .toList();
    return new Planned(
        discovered,
        new JobPlan(
            mode,
            head,
            baseline,
            decisions,
            removed,
            decisions.stream().mapToLong(ChangePlanner.ScopePlan::estimatedTokens).sum()));
  }

  /**
   * Each decision with its estimated LLM tokens and, for a scope whose globs take none of its
   * files, the problem a run would fail it with (so a dry run shows it first).
   */
  private List<ChangePlanner.ScopePlan> estimate(
      RepositoryRef ref,
      Plan discovered,
      List<ChangePlanner.ScopePlan> decisions,
      Map<String, PreviousRuns.Run> previous) {
    boolean anyLlm =
        discovered.scopes().stream()
            .anyMatch(s -> s.config().agent().mode() == ScopeConfig.AgentMode.LLM);
    Map<String, Long> files = planner.files(ref, discovered.commitSha(), anyLlm);
    List<ChangePlanner.ScopePlan> estimated = new ArrayList<>();
    for (int i = 0; i < decisions.size(); i++) {
      Scope scope = discovered.scopes().get(i);
      var last = previous.get(scope.path());
      ChangePlanner.ScopePlan decision = decisions.get(i);
      if (anyLlm) {
        decision =
            decision.withEstimate(
                TokenEstimate.of(
                    scope,
                    decision,
                    files,
                    last == null ? Map.of() : last.previous().pageSources()));
      }
      estimated.add(decision.withProblem(nothingToDocument(scope, files.keySet()).orElse(null)));
    }
    return estimated;
  }

  /** Why the scope would have nothing to document at this commit, if its globs take no file. */
  static Optional<String> nothingToDocument(Scope scope, Set<String> repositoryFiles) {
    FileSelection selection = FileSelection.of(scope.config());
    int owned = 0;
    List<String> leftOut = new ArrayList<>();
    for (String file : new java.util.TreeSet<>(repositoryFiles)) {
      Optional<String> relative = scope.relative(file);
      if (relative.isEmpty()) {
        continue;
      }
      owned++;
      Optional<String> reason = selection.leavesOut(relative.get());
      if (reason.isEmpty()) {
        return Optional.empty();
      }
      if (leftOut.size() < FileSelection.EXAMPLES) {
        leftOut.add(relative.get() + " (" + reason.get() + ")");
      }
    }
    return Optional.of(selection.nothingToDocument(scope.path(), owned, leftOut));
  }
}
