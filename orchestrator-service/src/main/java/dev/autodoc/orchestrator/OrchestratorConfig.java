package dev.autodoc.orchestrator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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

  /** Git access. */
  Git git();

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
  }
}
