package dev.autodoc.reconciler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How the reconciler judges scopes and jobs, and where it looks for worker pods. */
@ConfigMapping(prefix = "autodoc.reconciler")
public interface ReconcilerConfig {
  /**
   * A running scope whose heartbeat (or whose re-dispatch, while no worker has taken it) is older
   * than this is presumed abandoned. Keep it above the workers' {@code autodoc.worker.lease}, so
   * that a worker taking the scope over finds the old claim expired.
   */
  @WithDefault("2m")
  Duration staleAfter();

  /**
   * A scope of a running job that no worker has taken for this long (no worker consumes, or none
   * can) is dispatched again, and fails with {@code SCOPE_TIMED_OUT} once its attempts are spent,
   * as a silent one does. Keep it above the time the workers take to scale up from zero.
   */
  @WithDefault("10m")
  Duration unclaimedAfter();

  /** How often running scopes and waiting jobs are checked. */
  @WithDefault("5s")
  Duration checkInterval();

  /** Attempts a scope gets before it fails with {@code SCOPE_TIMED_OUT}. */
  @WithDefault("3")
  int maxScopeAttempts();

  /**
   * A job QUEUED, PLANNING or FINALIZING for longer than this is nudged: its JobRequested is
   * published again, which makes the orchestrator admit, plan or finish it (taking up a step whose
   * owner stopped). Keep it above the orchestrator's {@code step-lease}.
   */
  @WithDefault("10m")
  Duration stuckAfter();

  Kubernetes kubernetes();

  Archive archive();

  /** Where and how agent sessions of ended jobs are archived. */
  interface Archive {
    /** How often archives that are due are looked for (a job's end wakes the archiver too). */
    @WithDefault("5s")
    Duration interval();

    /** The wait after a failed archive (the store was down); it doubles up to the maximum. */
    @WithDefault("5s")
    Duration initialBackoff();

    @WithDefault("5m")
    Duration maxBackoff();

    /** How long a replica holds an archive it is writing; another takes it over after this. */
    @WithDefault("5m")
    Duration lease();

    /** Key prefix in the bucket; objects are {@code <prefix>/<repository>/<job>.jsonl.gz}. */
    @WithDefault("sessions")
    String prefix();
  }

  interface Kubernetes {
    /**
     * Ask the API server whether the pod of the worker holding a scope still exists; a scope whose
     * pod is gone is dispatched again at once instead of after {@link #staleAfter()}.
     */
    @WithDefault("false")
    boolean enabled();

    /** The workers' namespace; default: the client's (in a pod, the pod's own). */
    Optional<String> namespace();

    /** The API server; default: what the client finds (in a pod, its service account). */
    Optional<String> masterUrl();
  }
}
