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
import java.util.Set;

/**
 * API keys: {@code Authorization: Bearer <key>}. A key carries roles; {@code submitter} and {@code
 * admin} include {@code reader}. Health, metrics and the OpenAPI document under {@code /q/} need no
 * key.
 */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {
  public static final String READER = "reader";
  public static final String SUBMITTER = "submitter";
  public static final String ADMIN = "admin";

  private final Map<String, OrchestratorConfig.ApiKey> keys;

  ApiKeyAuthentication(OrchestratorConfig config) {
    this.keys = config.apiKeys();
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String header = context.request().getHeader("Authorization");
    if (header == null) {
      return Uni.createFrom().nullItem();
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Uni.createFrom()
          .failure(new AuthenticationFailedException("expected 'Authorization: Bearer <key>'"));
    }
    byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
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
        return Uni.createFrom()
            .item(
                QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(entry.getKey()))
                    .addRoles(roles)
                    .build());
      }
    }
    return Uni.createFrom().failure(new AuthenticationFailedException("unknown API key"));
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
