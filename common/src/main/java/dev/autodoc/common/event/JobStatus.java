package dev.autodoc.common.event;

/** The life of a job: {@code QUEUED → PLANNING → RUNNING → FINALIZING → an end state}. */
public enum JobStatus {
  QUEUED,
  PLANNING,
  RUNNING,
  FINALIZING,
  COMPLETED,
  FAILED,
  CANCELLED;

  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
