package dev.autodoc.callback;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How callbacks are delivered: signing, retries, timeouts and which addresses may receive them. */
@ConfigMapping(prefix = "autodoc.callback")
public interface CallbackConfig {
  /**
   * The shared secret every request is signed with (HMAC-SHA256); receivers verify with the same
   * secret. Required: an unsigned callback could be forged by anyone who knows the URL.
   */
  String secret();

  /** Attempts per delivery, the first included. */
  @WithDefault("3")
  int maxAttempts();

  /**
   * The wait after the first failed attempt; it doubles after each further one (2 s, 4 s, 8 s, …)
   * up to {@link #maxBackoff()}.
   */
  @WithDefault("2s")
  Duration initialBackoff();

  @WithDefault("8s")
  Duration maxBackoff();

  /**
   * The longest {@code Retry-After} honoured; a receiver asking for more is retried after this
   * long, so a delivery cannot be parked for days.
   */
  @WithDefault("10m")
  Duration maxRetryAfter();

  @WithDefault("5s")
  Duration connectTimeout();

  /** How long one attempt may take, connection included; longer is a timeout, retried. */
  @WithDefault("10s")
  Duration requestTimeout();

  /**
   * How long a replica holds a delivery while it sends an attempt. Longer than the request timeout:
   * a replica that dies mid-attempt leaves the delivery to another after this.
   */
  @WithDefault("1m")
  Duration lease();

  /** How often due deliveries are looked for (new ones are sent at once). */
  @WithDefault("1s")
  Duration pollInterval();

  /** Most deliveries a replica sends at once. */
  @WithDefault("16")
  int batchSize();
}
