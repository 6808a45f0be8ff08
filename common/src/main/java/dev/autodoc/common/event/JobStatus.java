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

  /** The names of the end states, for queries. */
  public static String[] finalNames() {
    return java.util.Arrays.stream(values())
        .filter(JobStatus::isFinal)
        .map(Enum::name)
        .toArray(String[]::new);
  }
}
