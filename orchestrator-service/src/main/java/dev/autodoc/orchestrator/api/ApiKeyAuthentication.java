package dev.autodoc.orchestrator.api;

import dev.autodoc.orchestrator.OrchestratorConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * API keys: {@code Authorization: Bearer <key>}, or the ops UI's session cookie. A key carries
 * roles; {@code submitter} and {@code admin} include {@code reader}. Health, metrics and the
 * OpenAPI document under {@code /q/} need no key.
 */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {
  public static final String READER = "reader";
  public static final String SUBMITTER = "submitter";
  public static final String ADMIN = "admin";

  /** The cookie the ops UI keeps its key in. */
  public static final String SESSION_COOKIE = "autodoc_session";

  /** The header the ops UI sends with every request that changes something. */
  public static final String UI_HEADER = "X-Autodoc-UI";

  private final Map<String, OrchestratorConfig.ApiKey> keys;

  ApiKeyAuthentication(OrchestratorConfig config) {
    this.keys = config.apiKeys();
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String header = context.request().getHeader("Authorization");
    if (header == null) {
      return fromCookie(context);
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Uni.createFrom()
          .failure(new AuthenticationFailedException("expected 'Authorization: Bearer <key>'"));
    }
    return identify(header.substring(7).strip())
        .map(identity -> Uni.createFrom().item(identity))
        .orElseGet(
            () -> Uni.createFrom().failure(new AuthenticationFailedException("unknown API key")));
  }

  /**
   * The ops UI's login: the key in an HttpOnly, Secure, SameSite=Strict cookie. A request that
   * changes something must also carry {@value #UI_HEADER}, which a page of another site cannot send
   * without a CORS preflight this service never grants: no cross-site request forgery.
   */
  private Uni<SecurityIdentity> fromCookie(RoutingContext context) {
    var cookie = context.request().getCookie(SESSION_COOKIE);
    if (cookie == null) {
      return Uni.createFrom().nullItem();
    }
    String method = context.request().method().name();
    boolean safe = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    if (!safe && context.request().getHeader(UI_HEADER) == null) {
      return Uni.createFrom()
          .failure(
              new AuthenticationFailedException(
                  "a " + method + " with the session cookie must carry " + UI_HEADER));
    }
    // A session whose key was withdrawn is no session: the UI's pages still load, and its API
    // calls are refused, which sends it to the login.
    return Uni.createFrom().item(identify(cookie.getValue()).orElse(null));
  }

  /** The identity a key stands for, with the roles its role implies; empty for an unknown key. */
  public Optional<SecurityIdentity> identify(String key) {
    byte[] presented = key.getBytes(StandardCharsets.UTF_8);
    for (var entry : keys.entrySet()) {
      // Constant-time comparison: the time taken says nothing about how much of a key matched.
      if (MessageDigest.isEqual(
          presented, entry.getValue().key().getBytes(StandardCharsets.UTF_8))) {
        Set<String> roles = new HashSet<>(entry.getValue().roles());
        if (roles.contains(ADMIN)) {
          roles.add(SUBMITTER);
        }
        if (roles.contains(SUBMITTER)) {
          roles.add(READER);
        }
        var identity =
            QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(entry.getKey()))
                .addRoles(roles);
        RepositoryAccess.restrict(identity, entry.getValue().repositories());
        return Optional.of(identity.build());
      }
    }
    return Optional.empty();
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom()
        .item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"autodoc\""));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of();
  }
}
