package dev.autodoc.common.metrics;

/**
 * Names of the metrics the services expose (Micrometer names; Prometheus shows them with dots as
 * underscores and counters with {@code _total}). Dashboards query only these.
 */
public final class MetricNames {
  public static final String OUTBOX_PUBLISHED = "autodoc.outbox.published";
  public static final String EVENTS_CONSUMED = "autodoc.events.consumed";
  public static final String EVENTS_DEAD_LETTERED = "autodoc.events.dead.lettered";
  public static final String JOBS_SUBMITTED = "autodoc.jobs.submitted";
  public static final String JOBS_FINISHED = "autodoc.jobs.finished";
  public static final String JOBS_ACTIVE = "autodoc.jobs.active";
  public static final String SCOPES_FINISHED = "autodoc.scopes.finished";
  public static final String SCOPE_DURATION = "autodoc.scope.duration";
  public static final String SCOPES_IN_FLIGHT = "autodoc.scopes.in.flight";
  public static final String CALLBACK_ATTEMPTS = "autodoc.callback.attempts";
  public static final String CALLBACKS_FINISHED = "autodoc.callbacks.finished";

  /** Tag naming the outcome of a job or scope. */
  public static final String TAG_STATUS = "status";

  /**
   * Tag naming how a callback attempt went: {@code 2xx}…{@code 5xx}, {@code error}, {@code
   * refused}.
   */
  public static final String TAG_OUTCOME = "outcome";

  /** Tag naming the topic of a consumed or dead-lettered event. */
  public static final String TAG_TOPIC = "topic";

  private MetricNames() {}
}
