package dev.autodoc.support.embedding;

import dev.autodoc.support.SupportConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The embedder a service uses, as {@code autodoc.support.embedding.provider} says. */
@ApplicationScoped
public class Embedders {

  /**
   * Made on its first use, not when a bean that holds it is: the local model takes about 100 MB of
   * native memory, which an orchestrator that is never asked to search need not carry.
   */
  @Produces
  @ApplicationScoped
  Embedder embedder(SupportConfig config) {
    return of(config.embedding());
  }

  public static Embedder of(SupportConfig.Embedding config) {
    return switch (config.provider()) {
      case "local" -> LocalEmbedder.shared();
      case "openai" ->
          new OpenAiEmbedder(
              config
                  .baseUrl()
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "autodoc.support.embedding.provider=openai needs"
                                  + " autodoc.support.embedding.base-url")),
              config.apiKey(),
              config.model(),
              config.modelVersion(),
              config.maxTokens(),
              config.timeout());
      default ->
          throw new IllegalStateException(
              "autodoc.support.embedding.provider is '"
                  + config.provider()
                  + "'; it must be 'local' or 'openai'");
    };
  }
}
