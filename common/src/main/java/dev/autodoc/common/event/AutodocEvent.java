package dev.autodoc.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * Every Autodoc event. Consumers dispatch with a {@code switch} over this sealed type; the JSON
 * Schema of each record ships under {@code schemas/} in this module.
 */
public sealed interface AutodocEvent
    permits JobRequested, ScopeRequested, ScopeOutcome, JobCompleted, JobProgress {

  /** Version of the v1 event schemas; a breaking change gets a new event type version. */
  int SCHEMA_VERSION = 1;

  UUID eventId();

  UUID jobId();

  Instant occurredAt();

  int schemaVersion();

  /** The key the event is published under on its topic. */
  String key();

  default EventType type() {
    return EventType.of(getClass());
  }
}
