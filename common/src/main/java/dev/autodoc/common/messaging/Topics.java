package dev.autodoc.common.messaging;

import java.util.List;

/**
 * Kafka topic names. Each messaging channel is named after its topic, so these constants serve
 * {@code @Incoming}, {@code @Channel}, configuration and tests alike.
 */
public final class Topics {
  public static final String JOB_REQUESTED = "autodoc.job.requested";
  public static final String SCOPE_REQUESTED = "autodoc.scope.requested";
  public static final String SCOPE_COMPLETED = "autodoc.scope.completed";
  public static final String JOB_COMPLETED = "autodoc.job.completed";
  public static final String JOB_PROGRESS = "autodoc.job.progress";

  /** Prefix of the dead-letter topics: {@code autodoc.dlq.<topic>}. */
  public static final String DLQ_PREFIX = "autodoc.dlq.";

  /** The event topics, in pipeline order. */
  public static final List<String> EVENT_TOPICS =
      List.of(JOB_REQUESTED, SCOPE_REQUESTED, SCOPE_COMPLETED, JOB_COMPLETED, JOB_PROGRESS);

  private Topics() {}

  public static String deadLetter(String topic) {
    return DLQ_PREFIX + topic;
  }

  /** Every topic Autodoc uses: the event topics and a dead-letter topic for each. */
  public static List<String> all() {
    return java.util.stream.Stream.concat(
            EVENT_TOPICS.stream(), EVENT_TOPICS.stream().map(Topics::deadLetter))
        .toList();
  }
}
