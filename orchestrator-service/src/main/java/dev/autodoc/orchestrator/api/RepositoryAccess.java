package dev.autodoc.orchestrator.api;

import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.repo.RepositoryRef;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which repositories an API key may read. A key limited to some repositories carries their ids; to
 * it, every other repository does not exist (lists and searches leave it out, a request for it is
 * answered "not found"), so a key says nothing about what else is documented here.
 */
public final class RepositoryAccess {
  private static final String ATTRIBUTE = "autodoc.repositories";

  private final Optional<Set<String>> ids;

  private RepositoryAccess(Optional<Set<String>> ids) {
    this.ids = ids;
  }

  /** Everything: the orchestrator's own work, and keys with no limit. */
  public static final RepositoryAccess ALL = new RepositoryAccess(Optional.empty());

  /** Nothing: a caller nobody identified. */
  public static final RepositoryAccess NONE = new RepositoryAccess(Optional.of(Set.of()));

  /** Marks an identity being built with the repositories its key may read, if it is limited. */
  static void restrict(QuarkusSecurityIdentity.Builder identity, Optional<Set<String>> urls) {
    urls.ifPresent(
        list -> {
          Set<String> ids = new HashSet<>();
          for (String url : list) {
            ids.add(idOf(url));
          }
          identity.addAttribute(ATTRIBUTE, Set.copyOf(ids));
        });
  }

  /** What the caller may read. */
  @SuppressWarnings("unchecked")
  public static RepositoryAccess of(SecurityIdentity identity) {
    Object ids = identity == null ? null : identity.getAttribute(ATTRIBUTE);
    return ids instanceof Set<?> set ? new RepositoryAccess(Optional.of((Set<String>) set)) : ALL;
  }

  /** Whether the repository of this id exists for the caller. */
  public boolean reads(String repositoryId) {
    return ids.map(set -> set.contains(repositoryId)).orElse(true);
  }

  /** The items whose repository the caller may read. */
  public <T> List<T> filter(List<T> items, Function<T, String> repositoryId) {
    return ids.isEmpty()
        ? items
        : items.stream().filter(item -> reads(repositoryId.apply(item))).toList();
  }

  /**
   * A repository named in a key's settings, by URL as jobs name it; an id (what the API shows) is
   * taken as it is.
   */
  private static String idOf(String repository) {
    try {
      return RepositoryRef.parse(repository).id();
    } catch (AutodocException e) {
      return repository.strip();
    }
  }
}
