package dev.autodoc.callback;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.JobCompleted;
import dev.autodoc.common.messaging.Channels;
import dev.autodoc.support.messaging.InboundEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Turns each JobCompleted with a callback URL into a delivery; the record is acknowledged once the
 * delivery is stored, and sending happens apart from the consumer, so a slow receiver never holds
 * up the topic.
 */
@ApplicationScoped
public class CallbackConsumer {
  private final InboundEvents inbound;
  private final Deliveries deliveries;
  private final Deliverer deliverer;

  CallbackConsumer(InboundEvents inbound, Deliveries deliveries, Deliverer deliverer) {
    this.inbound = inbound;
    this.deliveries = deliveries;
    this.deliverer = deliverer;
  }

  @Incoming(Channels.JOB_COMPLETED)
  public Uni<Void> consume(Message<byte[]> message) {
    return inbound.handle(
        message,
        event ->
            switch (event) {
              case JobCompleted completed ->
                  deliveries
                      .accept(completed)
                      .invoke(
                          waiting -> {
                            if (waiting) {
                              deliverer.sendDue();
                            }
                          })
                      .replaceWithVoid();
              default ->
                  Uni.createFrom()
                      .failure(
                          new PermanentException(
                              Reason.INVALID_EVENT,
                              "the callback service does not consume " + event.type().ceType()));
            });
  }
}
