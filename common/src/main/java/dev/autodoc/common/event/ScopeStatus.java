package dev.autodoc.common.event;

/** The life of a scope: {@code PENDING → RUNNING → SUCCEEDED | FAILED}. */
public enum ScopeStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED;
  }
}
