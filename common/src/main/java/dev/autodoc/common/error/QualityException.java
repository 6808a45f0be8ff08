package dev.autodoc.common.error;

/** See {@link ErrorKind#QUALITY}. */
public final class QualityException extends AutodocException {
  public QualityException(Reason reason, String message) {
    this(reason, message, null);
  }

  public QualityException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
    if (reason.kind() != ErrorKind.QUALITY) {
      throw new IllegalArgumentException(reason + " is not a " + reason.kind() + " reason");
    }
  }
}
