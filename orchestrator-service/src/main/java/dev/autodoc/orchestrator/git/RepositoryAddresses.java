package dev.autodoc.orchestrator.git;

import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.support.net.AddressPolicy;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The early answer to "may this repository be reached?", at submission: an {@code https://}
 * repository whose host resolves to an address the outbound policy does not allow is refused before
 * a job exists. A host that does not resolve now is left to the connection, which checks again on
 * the address it really connects to (so DNS rebinding cannot get past this check).
 */
@ApplicationScoped
public class RepositoryAddresses {
  private final AddressPolicy policy;

  RepositoryAddresses(AddressPolicy policy) {
    this.policy = policy;
  }

  /** Why the repository may not be reached, if it may not. */
  public Uni<Optional<String>> refusal(RepositoryRef repository) {
    if (repository.kind() != RepositoryRef.Kind.HTTPS) {
      return Uni.createFrom().item(Optional.empty());
    }
    String host = URI.create(repository.url()).getHost();
    return Uni.createFrom()
        .item(
            () -> {
              try {
                policy.resolve(host);
                return Optional.<String>empty();
              } catch (AddressPolicy.Refused e) {
                return Optional.of("repository " + repository.url() + ": " + e.getMessage());
              } catch (UnknownHostException e) {
                return Optional.<String>empty();
              }
            })
        // DNS lookups block.
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }
}
