package dev.autodoc.orchestrator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every setting of the orchestrator. */
@ConfigMapping(prefix = "autodoc.orchestrator")
public interface OrchestratorConfig {
  /** Most jobs planning, running or finalizing at once, over all repositories. */
  @WithDefault("4")
  @Min(1)
  int maxRunningJobs();

  /** How often queued jobs are considered for admission when nothing else prompts it. */
  @WithDefault("1s")
  Duration admissionInterval();

  /** A job planning or finalizing for longer than this is presumed abandoned and taken up again. */
  @WithDefault("5m")
  Duration stepLease();

  /** Where repository mirrors are kept. */
  Path workspaceDir();

  /** How often mirrors not used for {@link #mirrorRetention()} are looked for and removed. */
  @WithDefault("10m")
  Duration cleanupInterval();

  /** A repository mirror not used for this long is removed; the next job clones it again. */
  @WithDefault("7d")
  Duration mirrorRetention();

  /**
   * How long a repository's freshness (the commits its branch has beyond the documented one) is
   * reused before the branch is fetched again to tell it anew.
   */
  @WithDefault("5m")
  Duration freshnessInterval();

  /** The shortest time a repository schedule may leave between two of its due times. */
  @WithDefault("1m")
  Duration scheduleMinInterval();

  /**
   * Waits this long before a finishing job opens its pull request. For crash-recovery tests only,
   * which need a job to be in the middle of finishing when they kill the orchestrator; never set in
   * production.
   */
  Optional<Duration> faultInjectionFinalizeDelay();

  /** Git access. */
  Git git();

  /** GitHub, for repositories on its hosts. */
  GitHub github();

  interface GitHub {
    /** The REST API root: {@code https://api.github.com}, or a GitHub Enterprise server's. */
    @WithDefault("https://api.github.com")
    java.net.URI apiUrl();

    /** The hosts whose repositories are GitHub's. */
    @WithDefault("github.com")
    Set<String> hosts();

    /**
     * The token for REST and git (also {@code autodoc.orchestrator.git.https-token} for clones);
     * without it, jobs on these hosts open no pull request.
     */
    Optional<String> token();

    @WithDefault("30s")
    Duration timeout();
  }

  /**
   * The OpenAI-compatible chat endpoint that answers the MCP tool {@code ask}; without a base URL
   * the tool is not offered.
   */
  Llm llm();

  interface Llm extends dev.autodoc.support.llm.LlmEndpoint {}

  /** How {@code ask} finds its evidence and checks its answers. */
  Ask ask();

  interface Ask {
    /** Most page sections given to the model as sources. */
    @WithDefault("6")
    @Min(1)
    int sources();

    /**
     * The least similarity (cosine, 0 to 1) a section needs to count as evidence; below it, a
     * question is answered "no evidence" without asking the model. The default suits the bundled
     * embedding model (bge-small-en-v1.5), whose unrelated texts score about 0.4 to 0.5.
     */
    @WithDefault("0.6")
    double minScore();

    /** Tries after the first when an answer fails its checks; then its failing parts are marked. */
    @WithDefault("1")
    @Min(0)
    int retries();
  }

  /** API keys, by client name. */
  Map<String, ApiKey> apiKeys();

  interface Git extends dev.autodoc.support.git.GitSettings {
    /** Attempts at a transient git failure while planning, before the job fails. */
    @WithDefault("3")
    @Min(1)
    int attempts();
  }

  interface ApiKey {
    /** The secret the client sends as {@code Authorization: Bearer <key>}. */
    String key();

    /** Its roles: {@code reader}, {@code submitter} (includes reading), {@code admin}. */
    Set<String> roles();

    /**
     * The repositories it may read, by URL as jobs name them; all when absent. To this key, any
     * other repository does not exist: it is left out of lists and searches, and asking for it is
     * answered as for a repository that never had a job.
     */
    Optional<Set<String>> repositories();
  }
}
