package dev.autodoc.orchestrator.messaging;

import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobProgress;
import dev.autodoc.common.event.JobRequested;
import dev.autodoc.common.event.ScopeOutcome;
import dev.autodoc.common.messaging.Channels;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.orchestrator.git.RepositoryAddresses;
import dev.autodoc.orchestrator.job.JobEvents;
import dev.autodoc.orchestrator.job.JobService;
import dev.autodoc.support.messaging.InboundEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The events the orchestrator consumes: job requests from anyone, scope outcomes from workers, and
 * step progress from everyone, into the job's event log.
 */
@ApplicationScoped
public class EventConsumers {
  private final InboundEvents inbound;
  private final JobService jobs;
  private final RepositoryAddresses addresses;
  private final JobEvents events;
  private final Pool pool;

  EventConsumers(
      InboundEvents inbound,
      JobService jobs,
      RepositoryAddresses addresses,
      JobEvents events,
      Pool pool) {
    this.inbound = inbound;
    this.jobs = jobs;
    this.addresses = addresses;
    this.events = events;
    this.pool = pool;
  }

  @Incoming(Channels.JOB_REQUESTED)
  public Uni<Void> jobRequested(Message<byte[]> message) {
    return inbound.handle(message, this::dispatch);
  }

  @Incoming(Channels.SCOPE_OUTCOMES)
  public Uni<Void> scopeOutcome(Message<byte[]> message) {
    return inbound.handle(message, this::dispatch);
  }

  /**
   * Step progress comes a dozen records a scope, each a row of the job's event log: a poll's
   * records are stored in one transaction (the channel is consumed in batches), not one each.
   */
  @Incoming(Channels.JOB_PROGRESS)
  public Uni<Void> jobProgress(KafkaRecordBatch<byte[], byte[]> batch) {
    return inbound.handleBatch(
        batch.getRecords(), batch::ack, all -> pool.withTransaction(tx -> steps(tx, all)));
  }

  private Uni<Void> steps(SqlClient tx, List<AutodocEvent> all) {
    List<JobProgress> progress = new ArrayList<>(all.size());
    for (AutodocEvent event : all) {
      if (!(event instanceof JobProgress step)) {
        return Uni.createFrom().failure(notConsumed(event));
      }
      progress.add(step);
    }
    return events.steps(tx, progress);
  }

  private Uni<Void> dispatch(AutodocEvent event) {
    return switch (event) {
      case JobRequested request -> reachable(request).chain(() -> jobs.intake(request));
      case ScopeOutcome outcome -> jobs.applyOutcome(outcome);
      default -> Uni.createFrom().failure(notConsumed(event));
    };
  }

  private static PermanentException notConsumed(AutodocEvent event) {
    return new PermanentException(
        Reason.INVALID_EVENT,
        "the orchestrator does not consume " + event.type().ceType() + " here");
  }

  /**
   * A request for a repository at an address the outbound policy refuses is dead-lettered with the
   * reason, as the REST API refuses it; a malformed repository is left to the intake to name.
   */
  private Uni<Void> reachable(JobRequested request) {
    RepositoryRef repository;
    try {
      repository = RepositoryRef.parse(request.repository());
    } catch (AutodocException e) {
      return Uni.createFrom().voidItem();
    }
    return addresses
        .refusal(repository)
        .invoke(
            refused ->
                refused.ifPresent(
                    why -> {
                      throw new PermanentException(Reason.REPOSITORY_NOT_ALLOWED, why);
                    }))
        .replaceWithVoid();
  }
}
