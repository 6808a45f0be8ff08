package dev.autodoc.orchestrator.git;

import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.support.git.GitMirror;
import dev.autodoc.support.net.AddressPolicy;
import dev.autodoc.support.net.PinnedHttp;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The provider of a repository: local paths and {@code file://} URLs are {@code local}; {@code
 * https://} URLs on a GitHub host ({@code autodoc.orchestrator.github.hosts}) are {@code github}
 * when a token is configured. Other hosts have none yet, and their jobs open no pull request.
 */
@ApplicationScoped
public class GitProviders {
  private final GitMirror mirror;
  private final OrchestratorConfig.GitHub github;
  private final PinnedHttp http;

  GitProviders(OrchestratorConfig config, AddressPolicy policy, Vertx vertx) {
    this.mirror = Mirrors.of(config, policy);
    this.github = config.github();
    this.http = new PinnedHttp(vertx, policy, config.github().timeout());
  }

  public Optional<GitProvider> forRepository(RepositoryRef repository) {
    if (repository.kind() == RepositoryRef.Kind.LOCAL) {
      return Optional.of(new LocalGitProvider(mirror));
    }
    String host = URI.create(repository.url()).getHost().toLowerCase(Locale.ROOT);
    if (github.hosts().contains(host) && github.token().isPresent()) {
      return Optional.of(
          new GitHubProvider(
              mirror.withHttpsToken(github.token().get()),
              github.apiUrl(),
              github.token().get(),
              github.timeout(),
              http));
    }
    return Optional.empty();
  }

  /**
   * Who compares two commits of the repository: its provider, else the orchestrator's mirror of it
   * (JGit), which every repository a job documents has.
   */
  public GitProvider comparer(RepositoryRef repository) {
    return forRepository(repository).orElseGet(() -> new LocalGitProvider(mirror));
  }
}
