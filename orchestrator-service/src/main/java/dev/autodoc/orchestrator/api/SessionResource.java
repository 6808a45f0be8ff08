package dev.autodoc.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.input.TextLimits;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;

/**
 * The ops UI's login: a key exchanged for a session cookie that holds it (HttpOnly, so no script
 * reads it; Secure; SameSite=Strict), and the name and roles it stands for.
 */
@Path("/api/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
  /** How long a login lasts. */
  static final Duration LIFETIME = Duration.ofHours(12);

  private final ApiKeyAuthentication keys;
  private final SecurityIdentity identity;

  SessionResource(ApiKeyAuthentication keys, SecurityIdentity identity) {
    this.keys = keys;
    this.identity = identity;
  }

  public record Session(String name, List<String> roles) {
    static Session of(SecurityIdentity identity) {
      return new Session(
          identity.getPrincipal().getName(), identity.getRoles().stream().sorted().toList());
    }
  }

  @POST
  @PermitAll
  @Consumes(MediaType.APPLICATION_JSON)
  public Response login(JsonNode body) {
    String key = body == null ? null : body.path("key").asText(null);
    if (key == null || key.isBlank() || key.length() > TextLimits.PARAMETER) {
      return Problem.response(
          Response.Status.BAD_REQUEST,
          Reason.INVALID_REQUEST,
          "the body must be {\"key\": \"<API key>\"}",
          null);
    }
    return keys.identify(key.strip())
        .map(
            identity ->
                Response.ok(Session.of(identity)).cookie(cookie(key.strip(), LIFETIME)).build())
        .orElseGet(
            () ->
                Problem.response(
                    Response.Status.UNAUTHORIZED, Reason.INVALID_REQUEST, "unknown API key", null));
  }

  @GET
  @Authenticated
  public Session current() {
    return Session.of(identity);
  }

  @DELETE
  @PermitAll
  public Response logout() {
    return Response.noContent().cookie(cookie("", Duration.ZERO)).build();
  }

  private static NewCookie cookie(String value, Duration maxAge) {
    return new NewCookie.Builder(ApiKeyAuthentication.SESSION_COOKIE)
        .value(value)
        .path("/")
        .maxAge((int) maxAge.toSeconds())
        .httpOnly(true)
        .secure(true)
        .sameSite(NewCookie.SameSite.STRICT)
        .build();
  }
}
