package dev.autodoc.common.event;

/** Whether a job documents everything or only what changed since the last successful run. */
public enum JobMode {
  FULL,
  INCREMENTAL
}
