package dev.autodoc.orchestrator.job;

import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.error.ErrorReport;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobProgress;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.scope.Scope;
import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.orchestrator.plan.ChangePlanner;
import dev.autodoc.orchestrator.plan.JobPlan;
import dev.autodoc.orchestrator.plan.JobPlanner;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/** The start of an admitted job: its plan, and one ScopeRequested per scope with work. */
@ApplicationScoped
public class JobPlanning {
  private static final Logger LOG = Logger.getLogger(JobPlanning.class);

  private final JobRepository jobs;
  private final Pool pool;
  private final Outbox outbox;
  private final JobPlanner planner;
  private final OrchestratorConfig config;
  private final JobFinalizer finalizer;
  private final JobSteps steps;

  JobPlanning(
      JobRepository jobs,
      Outbox outbox,
      JobPlanner planner,
      OrchestratorConfig config,
      JobFinalizer finalizer,
      JobSteps steps) {
    this.jobs = jobs;
    this.pool = jobs.pool();
    this.outbox = outbox;
    this.planner = planner;
    this.config = config;
    this.finalizer = finalizer;
    this.steps = steps;
  }

  /**
   * Plans an admitted job and fans out one ScopeRequested per scope that has work, or fails the
   * job. A dry run, or a job none of whose scopes changed, ends once planned.
   */
  Uni<Void> plan(UUID jobId) {
    return steps
        .record(jobId, JobSteps.PLAN, JobProgress.Phase.STARTED)
        .chain(() -> jobs.find(pool, jobId))
        .chain(
            found -> {
              Job job = found.orElseThrow(() -> JobService.notFound(jobId));
              return planner
                  .plan(job)
                  .onFailure(Failures::isTransient)
                  .retry()
                  .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(15))
                  .atMost(config.git().attempts() - 1L)
                  .chain(plan -> fanOut(job, plan))
                  .onFailure()
                  .recoverWithUni(failure -> failPlanning(job, failure));
            })
        .invoke(outbox::wake);
  }

  private Uni<Void> fanOut(Job job, JobPlanner.Planned planned) {
    JobPlan plan = planned.plan();
    Map<Scope, ChangePlanner.ScopePlan> dispatched = job.dryRun() ? Map.of() : planned.dispatched();
    AtomicBoolean nothingToRun = new AtomicBoolean();
    return pool.withTransaction(
            tx ->
                jobs.transition(tx, job.id(), JobStatus.PLANNING, JobStatus.RUNNING)
                    .chain(
                        moved -> {
                          if (!moved) {
                            return Uni.createFrom().voidItem(); // Cancelled while planning.
                          }
                          Instant now = Instant.now();
                          var requests = new ArrayList<AutodocEvent>();
                          dispatched.forEach(
                              (scope, decision) ->
                                  requests.add(
                                      new ScopeRequested(
                                          UUID.randomUUID(),
                                          job.id(),
                                          now,
                                          AutodocEvent.SCHEMA_VERSION,
                                          job.repositoryId(),
                                          job.repositoryUrl(),
                                          plan.commitSha(),
                                          scope.path(),
                                          scope.config(),
                                          scope.excludedPaths(),
                                          1,
                                          baseline(decision))));
                          int scopes = plan.scopes().size();
                          JobProgress planFinished =
                              new JobProgress(
                                  UUID.randomUUID(),
                                  job.id(),
                                  now,
                                  AutodocEvent.SCHEMA_VERSION,
                                  null,
                                  "plan",
                                  JobProgress.Phase.FINISHED,
                                  scopes,
                                  scopes,
                                  (job.dryRun() ? "dry run: planned " : "planned ")
                                      + scopes
                                      + " scopes at "
                                      + plan.commitSha()
                                      + ", "
                                      + dispatched.size()
                                      + " to document",
                                  1,
                                  null);
                          Uni<Void> recorded =
                              steps
                                  .record(tx, planFinished)
                                  .chain(
                                      () ->
                                          steps.record(
                                              tx,
                                              job.id(),
                                              JobSteps.FAN_OUT,
                                              JobProgress.Phase.STARTED,
                                              null))
                                  .chain(() -> jobs.setPlan(tx, job.id(), plan))
                                  .chain(
                                      () ->
                                          jobs.insertScopes(
                                              tx, job.id(), List.copyOf(dispatched.keySet())))
                                  .chain(() -> outbox.append(tx, requests))
                                  .chain(
                                      () ->
                                          steps.record(
                                              tx,
                                              job.id(),
                                              JobSteps.FAN_OUT,
                                              JobProgress.Phase.FINISHED,
                                              dispatched.size() + " scopes requested"));
                          if (!dispatched.isEmpty()) {
                            return recorded;
                          }
                          // Nothing to wait for: the job goes straight to its end.
                          return recorded
                              .chain(
                                  () ->
                                      jobs.transition(
                                          tx, job.id(), JobStatus.RUNNING, JobStatus.FINALIZING))
                              .invoke(nothingToRun::set)
                              .replaceWithVoid();
                        }))
        .chain(() -> nothingToRun.get() ? finalizer.finish(job.id()) : Uni.createFrom().voidItem());
  }

  /** What a dispatched scope builds on: nothing for a full run. */
  private static ScopeRequested.Baseline baseline(ChangePlanner.ScopePlan decision) {
    return ScopeRequested.Baseline.of(
        decision.action().name(),
        decision.baselineJob(),
        decision.baselineCommit(),
        decision.changedFiles());
  }

  private Uni<Void> failPlanning(Job job, Throwable failure) {
    ErrorReport error =
        failure instanceof AutodocException e
            ? e.report()
            : ErrorReport.of(Reason.INTERNAL, "planning failed: " + Failures.describe(failure));
    if (!(failure instanceof AutodocException)) {
      LOG.errorf(failure, "planning job %s failed unexpectedly", job.id());
    }
    return pool.withTransaction(
        tx ->
            // The step ends before the job does: the job's final status ends its stream.
            steps
                .record(tx, job.id(), JobSteps.PLAN, JobProgress.Phase.FAILED, error.message())
                .chain(() -> jobs.transition(tx, job.id(), JobStatus.PLANNING, JobStatus.FAILED))
                .chain(
                    moved ->
                        moved
                            ? finalizer.end(tx, job, JobStatus.FAILED, error, null)
                            : Uni.createFrom().voidItem()));
  }
}
