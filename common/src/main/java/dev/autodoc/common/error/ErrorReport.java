package dev.autodoc.common.error;

import java.util.Objects;

/** What failed, as carried by events and shown by the API. */
public record ErrorReport(Reason reason, ErrorKind kind, String message, boolean retryable) {
  public ErrorReport {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    kind = reason.kind();
    retryable = reason.retryable();
  }

  public static ErrorReport of(Reason reason, String message) {
    return new ErrorReport(reason, reason.kind(), message, reason.retryable());
  }
}
