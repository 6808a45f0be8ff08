package dev.autodoc.orchestrator;

import static dev.autodoc.orchestrator.OrchestratorTesting.READER_KEY;
import static dev.autodoc.orchestrator.OrchestratorTesting.SUBMITTER_KEY;
import static dev.autodoc.orchestrator.OrchestratorTesting.repository;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.autodoc.local.testing.GitFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ops UI's session: a key for a cookie, and what the cookie may do. */
@QuarkusTest
class SessionIT {
  private static final String COOKIE = "autodoc_session";
  private static final String UI = "X-Autodoc-UI";

  @Test
  void aKnownKeyIsKeptInAStrictHttpOnlySecureCookieThatAuthenticatesReads() {
    var login =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("key", READER_KEY))
            .post("/api/v1/session");
    login.then().statusCode(200).body("roles", hasItems("reader"));
    String header = login.getHeader("Set-Cookie");
    assertThat(header)
        .startsWith(COOKIE + "=" + READER_KEY)
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("Secure")
        .containsIgnoringCase("SameSite=Strict")
        .contains("Path=/");

    given()
        .cookie(COOKIE, READER_KEY)
        .get("/api/v1/session")
        .then()
        .statusCode(200)
        .body("roles", hasItems("reader"));
    given().cookie(COOKIE, READER_KEY).get("/api/v1/jobs").then().statusCode(200);
    // The reader may look, not submit, even from the UI.
    given()
        .cookie(COOKIE, READER_KEY)
        .header(UI, "1")
        .contentType(ContentType.JSON)
        .body(Map.of("repository", "/nowhere"))
        .post("/api/v1/jobs")
        .then()
        .statusCode(403);
    // Logging out clears the cookie.
    assertThat(
            given()
                .cookie(COOKIE, READER_KEY)
                .header(UI, "1")
                .delete("/api/v1/session")
                .then()
                .statusCode(204)
                .extract()
                .header("Set-Cookie"))
        .startsWith(COOKIE + "=;")
        .contains("Max-Age=0");
  }

  @Test
  void aChangeWithTheCookieButWithoutTheUiHeaderIsRefused() {
    try (GitFixture repo = repository("session-csrf")) {
      repo.write("README.md", "# hello\n").commit("first");
      // What a form on another site could send with the browser's cookie: refused.
      given()
          .cookie(COOKIE, SUBMITTER_KEY)
          .contentType(ContentType.JSON)
          .body(Map.of("repository", repo.url()))
          .post("/api/v1/jobs")
          .then()
          .statusCode(401);
      given()
          .cookie(COOKIE, SUBMITTER_KEY)
          .header(UI, "1")
          .contentType(ContentType.JSON)
          .body(Map.of("repository", repo.url()))
          .post("/api/v1/jobs")
          .then()
          .statusCode(202);
    }
  }

  @Test
  void badLoginsAreNamedAndSetNoCookie() {
    var unknown =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("key", "not-a-key"))
            .post("/api/v1/session");
    unknown.then().statusCode(401).body("detail", equalTo("unknown API key"));
    assertThat(unknown.getHeader("Set-Cookie")).isNull();
    given()
        .contentType(ContentType.JSON)
        .body("{\"password\": 1}")
        .post("/api/v1/session")
        .then()
        .statusCode(400)
        .body("reason", equalTo("INVALID_REQUEST"));
    // A cookie whose key was withdrawn is no session at all.
    given().cookie(COOKIE, "withdrawn").get("/api/v1/session").then().statusCode(401);
    // The UI's own files load without one.
    given()
        .get("/ui/index.html")
        .then()
        .statusCode(200)
        .header(
            "Content-Security-Policy", org.hamcrest.Matchers.containsString("script-src 'self'"));
    given().get("/ui/vendor/mermaid.min.js").then().statusCode(200);
  }
}
