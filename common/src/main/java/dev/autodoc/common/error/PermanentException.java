package dev.autodoc.common.error;

/** See {@link ErrorKind#PERMANENT}. */
public final class PermanentException extends AutodocException {
  public PermanentException(Reason reason, String message) {
    this(reason, message, null);
  }

  public PermanentException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
    if (reason.kind() != ErrorKind.PERMANENT) {
      throw new IllegalArgumentException(reason + " is not a " + reason.kind() + " reason");
    }
  }
}
