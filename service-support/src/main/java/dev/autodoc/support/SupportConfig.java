package dev.autodoc.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Configuration of the shared service infrastructure. */
@ConfigMapping(prefix = "autodoc.support")
public interface SupportConfig {
  /** The PostgreSQL schema this service owns; its outbox and processed-event tables live there. */
  String schema();

  /** The CloudEvents {@code source} of the events this service publishes. */
  String eventSource();

  /**
   * How often the outbox relay looks for events when nothing woke it (rows of a replica that died).
   */
  @WithDefault("500ms")
  Duration outboxPollInterval();

  /** Most events the relay publishes in one transaction. */
  @WithDefault("200")
  int outboxBatchSize();

  /**
   * Attempts at applying an event whose failure is transient, before it is dead-lettered. With the
   * default backoff, 30 attempts ride out about four and a half minutes of a database or broker
   * outage: a valid event dead-lettered for a passing outage would be an event lost (a job whose
   * last ScopeCompleted went to the dead-letter topic would never end).
   */
  @WithDefault("30")
  int consumerMaxAttempts();

  /** First backoff between those attempts; it doubles up to {@link #consumerMaxBackoff()}. */
  @WithDefault("200ms")
  Duration consumerInitialBackoff();

  /** Longest backoff between attempts. */
  @WithDefault("10s")
  Duration consumerMaxBackoff();

  /**
   * Host names, addresses and CIDR ranges that outbound connections (repositories, git provider
   * APIs, callbacks) may reach although they are not public: loopback, private, link-local and the
   * like are refused otherwise. The local stack allows loopback.
   */
  Optional<java.util.List<String>> allowedHosts();

  /** Where page vectors come from; the worker and the search API must agree. */
  Embedding embedding();

  interface Embedding {
    /** {@code local} (bge-small in-process, offline) or {@code openai} (a remote endpoint). */
    @WithDefault("local")
    String provider();

    /** The API root of an {@code openai} provider, e.g. {@code https://api.openai.com/v1}. */
    Optional<String> baseUrl();

    Optional<String> apiKey();

    @WithDefault("text-embedding-3-small")
    String model();

    /**
     * The remote model's version, kept with every vector: change it when the endpoint's model
     * changes under the same name, and every text is embedded again.
     */
    @WithDefault("1")
    String modelVersion();

    /** The remote model's window; chunks stay under it. */
    @WithDefault("8191")
    int maxTokens();

    @WithDefault("1m")
    Duration timeout();
  }
}
