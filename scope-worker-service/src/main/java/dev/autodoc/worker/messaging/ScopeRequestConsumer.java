package dev.autodoc.worker.messaging;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.messaging.Channels;
import dev.autodoc.support.messaging.InboundEvents;
import dev.autodoc.worker.ScopeRunner;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes scope requests. The record is acknowledged only once the scope's outcome and its event
 * are committed; a worker killed before that leaves the record to be delivered again.
 */
@ApplicationScoped
public class ScopeRequestConsumer {
  private final InboundEvents inbound;
  private final ScopeRunner runner;

  ScopeRequestConsumer(InboundEvents inbound, ScopeRunner runner) {
    this.inbound = inbound;
    this.runner = runner;
  }

  @Incoming(Channels.SCOPE_REQUESTED)
  public Uni<Void> consume(Message<byte[]> message) {
    return inbound.handle(
        message,
        event ->
            switch (event) {
              case ScopeRequested request -> runner.handle(request);
              default ->
                  Uni.createFrom()
                      .failure(
                          new PermanentException(
                              Reason.INVALID_EVENT,
                              "scope workers do not consume " + event.type().ceType()));
            });
  }
}
