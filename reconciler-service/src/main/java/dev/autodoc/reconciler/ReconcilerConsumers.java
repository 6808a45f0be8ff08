package dev.autodoc.reconciler;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.JobCompleted;
import dev.autodoc.common.event.ScopeOutcome;
import dev.autodoc.common.messaging.Channels;
import dev.autodoc.support.messaging.InboundEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The events the reconciler consumes: scope outcomes and job ends, for reports and archival. */
@ApplicationScoped
public class ReconcilerConsumers {
  private final InboundEvents inbound;
  private final Reports reports;
  private final SessionArchiver archiver;

  ReconcilerConsumers(InboundEvents inbound, Reports reports, SessionArchiver archiver) {
    this.inbound = inbound;
    this.reports = reports;
    this.archiver = archiver;
  }

  @Incoming(Channels.SCOPE_OUTCOMES)
  public Uni<Void> scopeOutcome(Message<byte[]> message) {
    return inbound.handle(message, this::dispatch);
  }

  @Incoming(Channels.JOB_COMPLETED)
  public Uni<Void> jobCompleted(Message<byte[]> message) {
    return inbound.handle(message, this::dispatch);
  }

  private Uni<Void> dispatch(AutodocEvent event) {
    return switch (event) {
      case ScopeOutcome outcome -> reports.scopeOutcome(outcome);
      case JobCompleted completed -> reports.jobCompleted(completed).invoke(archiver::wake);
      default ->
          Uni.createFrom()
              .failure(
                  new PermanentException(
                      Reason.INVALID_EVENT,
                      "the reconciler does not consume " + event.type().ceType()));
    };
  }
}
