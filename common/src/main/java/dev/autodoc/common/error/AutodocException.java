package dev.autodoc.common.error;

/**
 * The one exception hierarchy of Autodoc. Its subtypes are the error kinds; the reason says what
 * went wrong in a stable, machine-readable way and the message says it for people.
 */
public abstract sealed class AutodocException extends RuntimeException
    permits TransientException, PermanentException, QualityException {

  private final Reason reason;

  protected AutodocException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public ErrorKind kind() {
    return reason.kind();
  }

  public boolean retryable() {
    return reason.retryable();
  }

  /** The report carried by events and shown by the API. */
  public ErrorReport report() {
    return new ErrorReport(reason, reason.kind(), getMessage(), retryable());
  }

  /** Builds the subtype that matches the reason's kind. */
  public static AutodocException of(Reason reason, String message) {
    return of(reason, message, null);
  }

  public static AutodocException of(Reason reason, String message, Throwable cause) {
    return switch (reason.kind()) {
      case TRANSIENT -> new TransientException(reason, message, cause);
      case PERMANENT -> new PermanentException(reason, message, cause);
      case QUALITY -> new QualityException(reason, message, cause);
    };
  }
}
