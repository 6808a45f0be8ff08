package dev.autodoc.support.messaging;

import dev.autodoc.common.messaging.Channels;
import dev.autodoc.common.messaging.Topics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start a service whose configuration maps a channel to another topic than the one
 * {@link Channels} names, or gives it another dead-letter topic, or reads records with another
 * deserializer than the byte-array one: topic names live in configuration keys, where a typo would
 * silently split the pipeline, and a string deserializer would re-encode dead letters.
 */
@ApplicationScoped
public class ChannelTopology {
  private static final String BYTES = "org.apache.kafka.common.serialization.ByteArrayDeserializer";

  void check(@Observes StartupEvent event, Config config) {
    List<String> problems = problems(key -> config.getOptionalValue(key, String.class));
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "messaging configuration does not match the topics in common: "
              + String.join("; ", problems));
    }
  }

  /** Every mismatch between the configured incoming channels and {@link Channels#TOPICS}. */
  public static List<String> problems(Function<String, Optional<String>> config) {
    var problems = new ArrayList<String>();
    Channels.TOPICS.forEach(
        (channel, topic) -> {
          String prefix = "mp.messaging.incoming." + channel + ".";
          config
              .apply(prefix + "topic")
              .filter(t -> !t.equals(topic))
              .ifPresent(
                  t -> problems.add(channel + " reads '" + t + "', expected '" + topic + "'"));
          for (String part : List.of("key", "value")) {
            config
                .apply(prefix + part + ".deserializer")
                .filter(d -> !d.equals(BYTES))
                .ifPresent(
                    d ->
                        problems.add(
                            channel
                                + " reads "
                                + part
                                + "s with "
                                + d
                                + ", expected "
                                + BYTES
                                + " (dead letters keep the bytes as received)"));
          }
          config
              .apply(prefix + "dead-letter-queue.topic")
              .filter(t -> !t.equals(Topics.deadLetter(topic)))
              .ifPresent(
                  t ->
                      problems.add(
                          channel
                              + " dead-letters to '"
                              + t
                              + "', expected '"
                              + Topics.deadLetter(topic)
                              + "'"));
        });
    return problems;
  }
}
