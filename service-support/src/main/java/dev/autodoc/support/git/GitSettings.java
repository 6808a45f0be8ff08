package dev.autodoc.support.git;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How a service reaches repositories; a group in each service's configuration. */
public interface GitSettings {
  /** Whether repositories may be local paths and {@code file://} URLs (on for the local stack). */
  @WithDefault("false")
  boolean allowLocal();

  /** Token sent as the password for {@code https://} repositories (a Kubernetes Secret). */
  Optional<String> httpsToken();

  /** Longest a clone or fetch may take. */
  @WithDefault("10m")
  Duration timeout();
}
