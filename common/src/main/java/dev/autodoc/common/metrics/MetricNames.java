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

  /** Jobs by state right now, tagged {@link #TAG_STATUS} (gauge). */
  public static final String JOBS_IN_STATE = "autodoc.jobs.in.state";

  /** Time from a job's submission to its end, tagged {@link #TAG_STATUS} (timer, histogram). */
  public static final String JOB_DURATION = "autodoc.job.duration";

  /** Time of a worker's pipeline step, tagged {@link #TAG_STEP} and {@link #TAG_STATUS}. */
  public static final String STEP_DURATION = "autodoc.step.duration";

  /** Scopes a worker took over from one whose heartbeat had stopped. */
  public static final String SCOPE_TAKEOVERS = "autodoc.scope.takeovers";

  /** Events delivered again after they had been applied (and not applied twice). */
  public static final String EVENTS_REDELIVERED = "autodoc.events.redelivered";

  /** Events in a service's outbox not yet published (gauge). */
  public static final String OUTBOX_BACKLOG = "autodoc.outbox.backlog";

  /** Time a callback receiver took to answer an attempt, by {@link #TAG_OUTCOME} (timer). */
  public static final String CALLBACK_LATENCY = "autodoc.callback.latency";

  public static final String SCOPES_FINISHED = "autodoc.scopes.finished";
  public static final String SCOPE_DURATION = "autodoc.scope.duration";
  public static final String SCOPES_IN_FLIGHT = "autodoc.scopes.in.flight";
  public static final String SCOPES_RECONCILED = "autodoc.scopes.reconciled";
  public static final String JOBS_NUDGED = "autodoc.jobs.nudged";

  /** Scopes of running jobs that no worker has taken yet (gauge). */
  public static final String SCOPES_WAITING = "autodoc.scopes.waiting.for.worker";

  /** How long the scope that has waited longest for a worker has waited (gauge). */
  public static final String SCOPE_LONGEST_WAIT = "autodoc.scope.longest.wait.seconds";

  /**
   * Times a repository schedule fell due, tagged {@link #TAG_OUTCOME} {@code requested} or {@code
   * skipped} (a job of the repository was already waiting).
   */
  public static final String SCHEDULES_FIRED = "autodoc.schedules.fired";

  /**
   * Distinct chunk texts a worker needed vectors for, tagged {@link #TAG_OUTCOME} {@code embedded}
   * (the model ran) or {@code reused} (a vector of the same text, model and version was stored).
   */
  public static final String EMBEDDING_TEXTS = "autodoc.embedding.texts";

  /**
   * Files whose declarations a worker needed, tagged {@link #TAG_OUTCOME} {@code parsed} or {@code
   * reused} (the same content at the same path was read before).
   */
  public static final String PARSED_FILES = "autodoc.parse.files";

  public static final String JOB_QUALITY_SCORE = "autodoc.job.quality.score";
  public static final String PAGES_GENERATED = "autodoc.pages.generated";
  public static final String PAGES_BELOW_THRESHOLD = "autodoc.pages.below.threshold";
  public static final String LLM_TOKENS = "autodoc.llm.tokens";
  public static final String SESSIONS_ARCHIVED = "autodoc.sessions.archived";
  public static final String SESSION_ARCHIVE_FAILURES = "autodoc.session.archive.failures";
  public static final String CALLBACK_ATTEMPTS = "autodoc.callback.attempts";
  public static final String CALLBACKS_FINISHED = "autodoc.callbacks.finished";

  /** Tag naming the outcome of a job or scope. */
  public static final String TAG_STATUS = "status";

  /**
   * Tag naming how a callback attempt went: {@code 2xx}…{@code 5xx}, {@code error}, {@code
   * refused}.
   */
  public static final String TAG_OUTCOME = "outcome";

  /** Tag naming what the reconciler did with a scope: {@code redispatched} or {@code failed}. */
  public static final String TAG_ACTION = "action";

  /** Tag naming a kind of LLM token: {@code prompt} or {@code completion}. */
  public static final String TAG_KIND = "kind";

  /** Tag naming the topic of a consumed or dead-lettered event. */
  public static final String TAG_TOPIC = "topic";

  /** Tag naming why an event was dead-lettered: the error reason code ({@code INVALID_EVENT}…). */
  public static final String TAG_REASON = "reason";

  /** Tag naming the repository a job documents (its id, as {@code shop-1a2b3c4d5e}). */
  public static final String TAG_REPOSITORY = "repository";

  /** Tag naming a pipeline step ({@code fetch}, {@code scan}…). */
  public static final String TAG_STEP = "step";

  private MetricNames() {}
}
