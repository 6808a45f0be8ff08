package dev.autodoc.common.event;

import dev.autodoc.common.messaging.Topics;
import java.util.Arrays;
import java.util.Optional;

/** The CloudEvents {@code type} of each event, the topic it travels on and its schema file. */
public enum EventType {
  JOB_REQUESTED("dev.autodoc.job.requested.v1", Topics.JOB_REQUESTED, JobRequested.class),
  SCOPE_REQUESTED("dev.autodoc.scope.requested.v1", Topics.SCOPE_REQUESTED, ScopeRequested.class),
  SCOPE_COMPLETED("dev.autodoc.scope.completed.v1", Topics.SCOPE_COMPLETED, ScopeCompleted.class),
  SCOPE_FAILED("dev.autodoc.scope.failed.v1", Topics.SCOPE_COMPLETED, ScopeFailed.class),
  JOB_COMPLETED("dev.autodoc.job.completed.v1", Topics.JOB_COMPLETED, JobCompleted.class),
  JOB_PROGRESS("dev.autodoc.job.progress.v1", Topics.JOB_PROGRESS, JobProgress.class);

  private final String ceType;
  private final String topic;
  private final Class<? extends AutodocEvent> recordType;

  EventType(String ceType, String topic, Class<? extends AutodocEvent> recordType) {
    this.ceType = ceType;
    this.topic = topic;
    this.recordType = recordType;
  }

  public String ceType() {
    return ceType;
  }

  public String topic() {
    return topic;
  }

  public Class<? extends AutodocEvent> recordType() {
    return recordType;
  }

  /** Classpath location of the JSON Schema of this event. */
  public String schemaResource() {
    return "/schemas/" + ceType + ".schema.json";
  }

  public static EventType of(Class<? extends AutodocEvent> recordType) {
    return Arrays.stream(values())
        .filter(t -> t.recordType == recordType)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not an event record: " + recordType));
  }

  public static Optional<EventType> ofCeType(String ceType) {
    return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
  }

  /** The only event type on a topic, for records that arrive without a {@code ce_type} header. */
  public static Optional<EventType> soleTypeOf(String topic) {
    var types = Arrays.stream(values()).filter(t -> t.topic.equals(topic)).toList();
    return types.size() == 1 ? Optional.of(types.getFirst()) : Optional.empty();
  }
}
