package dev.autodoc.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Every setting of the scope worker. */
@ConfigMapping(prefix = "autodoc.worker")
public interface WorkerConfig {
  /** This instance's name in claims and events; by default host, process id and a random part. */
  Optional<String> id();

  /** Scopes this instance works on at once (copies of the consumer in the group). */
  @WithDefault("2")
  @Min(1)
  int scopesInFlight();

  /** Where scope workspaces and the repository mirrors are kept. */
  Path workspaceDir();

  /**
   * How often the agent sessions the reconciler has archived are deleted (read by the schedule of
   * {@code ArchivedSessions}).
   */
  @WithDefault("30s")
  Duration sessionPurgeInterval();

  /**
   * How often workspaces of jobs no longer running and idle mirrors are removed (read by the
   * schedule of {@code Workspaces}).
   */
  @WithDefault("10m")
  Duration cleanupInterval();

  /** A repository mirror not used for this long is removed; the next scope clones it again. */
  @WithDefault("7d")
  Duration mirrorRetention();

  /** How often a running scope's heartbeat is written. */
  @WithDefault("5s")
  Duration heartbeatInterval();

  /** A claim whose heartbeat is older than this belongs to a worker presumed dead. */
  @WithDefault("30s")
  Duration lease();

  /**
   * How long a stopping worker goes on with the scopes it runs before it hands them back; below the
   * pod's termination grace period (deploy/kubernetes).
   */
  @WithDefault("280s")
  Duration drainTimeout();

  /** Runs of one scope before it fails for good (a worker that died costs one run). */
  @WithDefault("3")
  @Min(1)
  int maxRunAttempts();

  /** Git access. */
  dev.autodoc.support.git.GitSettings git();

  /** Timeout and retries of each pipeline step, by step name. */
  @WithDefaults
  Map<String, StepPolicy> steps();

  /**
   * Waits this long before every step. For crash-recovery tests only, which need a scope to be in
   * the middle of its work when they kill the worker; never set in production.
   */
  Optional<Duration> faultInjectionStepDelay();

  /** How pages are made searchable. */
  Index index();

  /** How pages are made searchable. */
  interface Index {
    /**
     * {@code background} (a scope is done once its pages are stored; the model embeds their new
     * text afterwards, and until then the API says which pages search does not cover yet) or {@code
     * inline} (a scope is done once every vector is stored: slower, never behind).
     */
    @WithDefault("background")
    Mode mode();

    enum Mode {
      BACKGROUND,
      INLINE
    }

    /** How often an idle indexer looks for queued text. */
    @WithDefault("1s")
    Duration interval();
  }

  /** The OpenAI-compatible chat endpoint of scopes with {@code agent.mode: llm}. */
  Llm llm();

  /** Warming up the parsers, the page writer and the chunker before the first scope. */
  WarmUp warmUp();

  /**
   * A new worker's first scope would pay for loading and compiling the code that reads files and
   * writes pages: about twice the time of the next one. Once the worker has been idle for a while,
   * it runs that code over a small bundled sample instead, with nothing stored or published. A
   * scope that arrives meanwhile stops it at the next file or page; it goes on at the next idle
   * spell.
   */
  interface WarmUp {
    @WithDefault("true")
    boolean enabled();

    /**
     * How long the worker must have had no scope before it warms up: longer than a cold start takes
     * to hand a new worker its first scope (the consumer group forms meanwhile), so a job that is
     * on its way does not share the processors with the warm-up.
     */
    @WithDefault("10s")
    Duration idle();

    /** Passes over the sample: enough for the compiler to have compiled the hot code. */
    @WithDefault("12")
    @Min(1)
    int rounds();
  }

  /** How much work reading one file's declarations may take; beyond it, by name only. */
  Parse parse();

  interface Parse {
    /** Files larger than this many bytes are not parsed. */
    @WithDefault("4194304")
    long maxBytes();

    /** A file declaring more than this is not documented symbol by symbol. */
    @WithDefault("5000")
    int maxDeclarations();

    /**
     * Declarations kept from earlier runs, by file content, weighed by the source bytes they were
     * read from: unchanged files of the next run of a repository are not parsed again.
     */
    @WithDefault("67108864")
    long cacheBytes();

    /** The longest one file may take to parse. */
    @WithDefault("20s")
    Duration timeout();
  }

  /** Unset, scopes in llm mode fail saying so. */
  interface Llm extends dev.autodoc.support.llm.LlmEndpoint {}

  interface StepPolicy {
    /** Longest one try of the step may take; a timeout is a transient failure. */
    @WithDefault("10m")
    Duration timeout();

    /** Tries of the step when it fails transiently. */
    @WithDefault("3")
    @Min(1)
    int attempts();

    /** First wait between tries; it doubles each time. */
    @WithDefault("1s")
    Duration backoff();
  }
}
