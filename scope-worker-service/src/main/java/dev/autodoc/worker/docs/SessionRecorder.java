package dev.autodoc.worker.docs;

import java.util.UUID;

/**
 * Records agent sessions while they run: opened before the agent starts, closed with its result.
 */
public interface SessionRecorder {
  /** Records the start of a session and returns its id. */
  UUID open(
      UUID jobId,
      String scopePath,
      String pagePath,
      String agent,
      java.util.Map<String, Object> input);

  /** Records how the session ended. */
  void close(UUID id, String status, AgentSession session);

  /** A session recorded only once it ended. */
  record Finished(
      UUID jobId, String scopePath, String pagePath, String status, AgentSession session) {}

  /**
   * Records sessions that ended, in one write: for the static agent, whose sessions take
   * milliseconds and are never watched while they run (two writes a page were most of a small
   * scope's generate step).
   */
  void recordAll(java.util.List<Finished> sessions);

  /** A recorder that keeps nothing, for runs outside a worker (tests of the engine, benchmarks). */
  SessionRecorder NONE =
      new SessionRecorder() {
        @Override
        public UUID open(
            UUID jobId,
            String scopePath,
            String pagePath,
            String agent,
            java.util.Map<String, Object> input) {
          return UUID.randomUUID();
        }

        @Override
        public void close(UUID id, String status, AgentSession session) {}

        @Override
        public void recordAll(java.util.List<Finished> sessions) {}
      };
}
