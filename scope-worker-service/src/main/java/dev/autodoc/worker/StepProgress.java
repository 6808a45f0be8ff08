package dev.autodoc.worker;

import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobProgress;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.support.outbox.Outbox;
import dev.autodoc.worker.pipeline.ScopePipeline;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Publishes step progress through the outbox, with the attempt and this worker, for the job's
 * timeline and its event stream; progress is informational, so a failure is only logged.
 */
final class StepProgress implements ScopePipeline.Listener {
  private static final Logger LOG = Logger.getLogger(StepProgress.class);

  private final Pool pool;
  private final Outbox outbox;
  private final ScopeRequested request;
  private final int attempt;
  private final String workerId;

  StepProgress(Pool pool, Outbox outbox, ScopeRequested request, int attempt, String workerId) {
    this.pool = pool;
    this.outbox = outbox;
    this.request = request;
    this.attempt = attempt;
    this.workerId = workerId;
  }

  @Override
  public void started(String step) {
    publish(step, JobProgress.Phase.STARTED, null);
  }

  @Override
  public void finished(String step, long millis) {
    publish(step, JobProgress.Phase.FINISHED, step + " took " + millis + " ms");
  }

  @Override
  public void failed(String step, long millis, String why) {
    publish(step, JobProgress.Phase.FAILED, step + " failed after " + millis + " ms: " + why);
  }

  private void publish(String step, JobProgress.Phase phase, String message) {
    var event =
        new JobProgress(
            UUID.randomUUID(),
            request.jobId(),
            Instant.now(),
            AutodocEvent.SCHEMA_VERSION,
            request.scopePath(),
            step,
            phase,
            null,
            null,
            message,
            attempt,
            workerId);
    pool.withTransaction(tx -> outbox.append(tx, event))
        .subscribe()
        .with(
            ok -> outbox.wake(),
            failure -> LOG.debugf("progress event lost: %s", failure.getMessage()));
  }
}
