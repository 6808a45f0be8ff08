package dev.autodoc.common.error;

/** The three ways work can fail; each is handled differently, never by a blind retry. */
public enum ErrorKind {
  /** Worth retrying with backoff: the same input may succeed later (network, broker, lock). */
  TRANSIENT,
  /** Retrying cannot help: fail fast with a message that says what to fix. */
  PERMANENT,
  /** Output below the quality bar: handled by the agent's quality loop, not by a retry. */
  QUALITY
}
