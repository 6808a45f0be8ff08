package dev.autodoc.common.messaging;

import java.util.Map;

/**
 * Reactive-messaging channel names, one per topic a service consumes. Channels are named without
 * dots, which configuration keys cannot carry unquoted; each service maps its channels to topics in
 * its configuration, and {@link #TOPICS} is what a test checks that mapping against.
 */
public final class Channels {
  public static final String JOB_REQUESTED = "job-requested";
  public static final String SCOPE_REQUESTED = "scope-requested";
  public static final String SCOPE_OUTCOMES = "scope-outcomes";
  public static final String JOB_COMPLETED = "job-completed";
  public static final String JOB_PROGRESS = "job-progress";

  /** The topic behind each channel. */
  public static final Map<String, String> TOPICS =
      Map.of(
          JOB_REQUESTED, Topics.JOB_REQUESTED,
          SCOPE_REQUESTED, Topics.SCOPE_REQUESTED,
          SCOPE_OUTCOMES, Topics.SCOPE_COMPLETED,
          JOB_COMPLETED, Topics.JOB_COMPLETED,
          JOB_PROGRESS, Topics.JOB_PROGRESS);

  private Channels() {}
}
