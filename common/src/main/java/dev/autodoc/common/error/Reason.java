package dev.autodoc.common.error;

/**
 * Why something failed. Each reason has one kind, which decides retrying, and a stable code that
 * appears in events, job error reports and HTTP problems.
 */
public enum Reason {
  INVALID_REQUEST(ErrorKind.PERMANENT),
  INVALID_SCOPE_CONFIG(ErrorKind.PERMANENT),
  INVALID_EVENT(ErrorKind.PERMANENT),
  REPOSITORY_NOT_FOUND(ErrorKind.PERMANENT),
  REPOSITORY_NOT_ALLOWED(ErrorKind.PERMANENT),
  BRANCH_NOT_FOUND(ErrorKind.PERMANENT),
  COMMIT_NOT_FOUND(ErrorKind.PERMANENT),
  SCOPE_NOT_FOUND(ErrorKind.PERMANENT),
  LIMIT_EXCEEDED(ErrorKind.PERMANENT),
  NOT_FOUND(ErrorKind.PERMANENT),
  CONFLICT(ErrorKind.PERMANENT),
  ATTEMPTS_EXHAUSTED(ErrorKind.PERMANENT),
  /** A scope's workers stopped heartbeating on every attempt it was allowed. */
  SCOPE_TIMED_OUT(ErrorKind.PERMANENT),
  /** A scope's globs and limits leave none of its files to document. */
  NOTHING_TO_DOCUMENT(ErrorKind.PERMANENT),
  GIT_UNAVAILABLE(ErrorKind.TRANSIENT),
  STEP_TIMEOUT(ErrorKind.TRANSIENT),
  STORAGE_UNAVAILABLE(ErrorKind.TRANSIENT),
  /** The LLM endpoint timed out, limited the rate, or failed on its side (429, 5xx). */
  LLM_UNAVAILABLE(ErrorKind.TRANSIENT),
  /** The LLM endpoint refused the request (another 4xx: key, model, request). */
  LLM_REJECTED(ErrorKind.PERMANENT),
  /** The LLM kept answering with output that breaks its contract (the structure schema). */
  LLM_INVALID_OUTPUT(ErrorKind.PERMANENT),
  QUALITY_BELOW_THRESHOLD(ErrorKind.QUALITY),
  INTERNAL(ErrorKind.PERMANENT);

  private final ErrorKind kind;

  Reason(ErrorKind kind) {
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind == ErrorKind.TRANSIENT;
  }
}
