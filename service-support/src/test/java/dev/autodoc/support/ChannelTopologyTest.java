package dev.autodoc.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.support.messaging.ChannelTopology;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChannelTopologyTest {
  @Test
  void matchingConfigurationPasses() {
    var config =
        Map.of(
            "mp.messaging.incoming.scope-requested.topic", "autodoc.scope.requested",
            "mp.messaging.incoming.scope-requested.dead-letter-queue.topic",
                "autodoc.dlq.autodoc.scope.requested");
    assertThat(ChannelTopology.problems(k -> Optional.ofNullable(config.get(k)))).isEmpty();
  }

  @Test
  void aMistypedTopicOrDeadLetterTopicIsNamed() {
    var config =
        Map.of(
            "mp.messaging.incoming.scope-outcomes.topic", "autodoc.scopes.completed",
            "mp.messaging.incoming.job-requested.dead-letter-queue.topic", "autodoc.dlq.jobs",
            "mp.messaging.incoming.job-completed.value.deserializer",
                "org.apache.kafka.common.serialization.StringDeserializer");
    assertThat(ChannelTopology.problems(k -> Optional.ofNullable(config.get(k))))
        .containsExactlyInAnyOrder(
            "job-completed reads values with org.apache.kafka.common.serialization.StringDeserializer,"
                + " expected org.apache.kafka.common.serialization.ByteArrayDeserializer"
                + " (dead letters keep the bytes as received)",
            "scope-outcomes reads 'autodoc.scopes.completed', expected 'autodoc.scope.completed'",
            "job-requested dead-letters to 'autodoc.dlq.jobs', expected 'autodoc.dlq.autodoc.job.requested'");
  }
}
