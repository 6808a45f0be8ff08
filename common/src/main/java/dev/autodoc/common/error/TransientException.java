package dev.autodoc.common.error;

/** See {@link ErrorKind#TRANSIENT}. */
public final class TransientException extends AutodocException {
  public TransientException(Reason reason, String message) {
    this(reason, message, null);
  }

  public TransientException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
    if (reason.kind() != ErrorKind.TRANSIENT) {
      throw new IllegalArgumentException(reason + " is not a " + reason.kind() + " reason");
    }
  }
}
