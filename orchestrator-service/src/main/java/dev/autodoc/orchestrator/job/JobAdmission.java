package dev.autodoc.orchestrator.job;

import dev.autodoc.common.event.JobStatus;
import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.outbox.Outbox;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The admission loop: starts planning the jobs that may start (one running job per repository,
 * under the global limit), and takes up planning and finishing that a replica abandoned. It runs on
 * a schedule and after every commit that may free a place.
 */
@ApplicationScoped
public class JobAdmission {
  private static final Logger LOG = Logger.getLogger(JobAdmission.class);

  private final JobRepository jobs;
  private final Pool pool;
  private final Outbox outbox;
  private final OrchestratorConfig config;
  private final JobSteps steps;
  private final JobPlanning planning;
  private final JobFinalizer finalizer;
  private final AtomicBoolean admitting = new AtomicBoolean();
  private final AtomicBoolean admitAgain = new AtomicBoolean();

  JobAdmission(
      JobRepository jobs,
      Outbox outbox,
      OrchestratorConfig config,
      JobSteps steps,
      JobPlanning planning,
      JobFinalizer finalizer) {
    this.jobs = jobs;
    this.pool = jobs.pool();
    this.outbox = outbox;
    this.config = config;
    this.steps = steps;
    this.planning = planning;
    this.finalizer = finalizer;
  }

  /** Ends a finalizing job (see {@link JobFinalizer#finish}), then admits what may start. */
  Uni<Void> finish(UUID jobId) {
    return steps
        .traced(jobId, JobSteps.FINALIZE, () -> finalizer.finish(jobId))
        .invoke(this::afterCommit);
  }

  @Scheduled(
      every = "${autodoc.orchestrator.admission-interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void admissionTick() {
    admitSoon();
  }

  /**
   * Starts planning every job that may start now; also takes up planning and finishing that was
   * abandoned.
   */
  public void admitSoon() {
    admitAgain.set(true);
    if (!admitting.compareAndSet(false, true)) {
      return;
    }
    admitAgain.set(false);
    pool.withTransaction(
            tx ->
                jobs.admit(tx, config.maxRunningJobs())
                    .chain(
                        admitted ->
                            jobs.reclaim(tx, JobStatus.PLANNING, config.stepLease())
                                .map(stale -> concat(admitted, stale)))
                    .chain(
                        toPlan ->
                            jobs.reclaim(tx, JobStatus.FINALIZING, config.stepLease())
                                .map(toFinish -> Map.of("plan", toPlan, "finish", toFinish))))
        .subscribe()
        .with(
            work -> {
              work.get("plan")
                  .forEach(
                      id ->
                          plan(id)
                              .subscribe()
                              .with(ok -> {}, f -> LOG.errorf(f, "planning job %s failed", id)));
              work.get("finish")
                  .forEach(
                      id ->
                          finish(id)
                              .subscribe()
                              .with(ok -> {}, f -> LOG.errorf(f, "finishing job %s failed", id)));
              admitting.set(false);
              if (admitAgain.get()) {
                admitSoon();
              }
            },
            failure -> {
              LOG.warnf("admission: %s", Failures.describe(failure));
              admitting.set(false);
            });
  }

  /** Plans an admitted job (see {@link JobPlanning#plan}), then admits what may start. */
  Uni<Void> plan(UUID jobId) {
    return steps.traced(jobId, JobSteps.PLAN, () -> planning.plan(jobId)).invoke(this::afterCommit);
  }

  /** After a commit that appended events or freed a place: publish them, admit what may start. */
  void afterCommit() {
    outbox.wake();
    admitSoon();
  }

  private static List<UUID> concat(List<UUID> a, List<UUID> b) {
    var all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
