package dev.autodoc.common.event;

/** The end of one scope attempt, as reported on {@code autodoc.scope.completed}. */
public sealed interface ScopeOutcome extends AutodocEvent permits ScopeCompleted, ScopeFailed {
  String scopePath();

  int attempt();

  String workerId();

  @Override
  default String key() {
    return jobId().toString();
  }
}
