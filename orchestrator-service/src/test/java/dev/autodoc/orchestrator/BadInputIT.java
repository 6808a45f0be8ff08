package dev.autodoc.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input an outside tester sends: each gets a 400 problem naming the offending field, with
 * an error message that quotes at most a short prefix of the value; none reaches the database.
 */
@QuarkusTest
class BadInputIT {
  private static final String HUGE = "/tmp/" + "x".repeat(5 * 1024 * 1024);

  record Case(String field, Function<RequestSpecification, Response> send) {}

  static Stream<Arguments> cases() {
    return Stream.of(
        job("5 MB repository", "repository", Map.of("repository", HUGE)),
        job("NUL in repository", "repository", Map.of("repository", "/tmp/repo\u0000.git")),
        job("newline in repository", "repository", Map.of("repository", "/tmp/a\nb")),
        job(
            "control character in repository URL",
            "repository",
            Map.of("repository", "https://example.com/\u001b[31m.git")),
        job(
            "repository at the cloud metadata address",
            "repository",
            Map.of("repository", "https://169.254.169.254/x.git")),
        job(
            "repository on loopback",
            "repository",
            Map.of("repository", "https://127.0.0.1:1/x.git")),
        job(
            "repository named by a host that resolves to loopback",
            "repository",
            Map.of("repository", "https://localhost/x.git")),
        job(
            "repository at a private address",
            "repository",
            Map.of("repository", "https://10.0.0.1/x.git")),
        job("long branch", "branch", Map.of("repository", "/tmp/r", "branch", "b".repeat(300))),
        job("NUL in branch", "branch", Map.of("repository", "/tmp/r", "branch", "main\u0000")),
        job(
            "long callback URL",
            "callbackUrl",
            Map.of("repository", "/tmp/r", "callbackUrl", "https://h/" + "c".repeat(3000))),
        job("long mode", "mode", Map.of("repository", "/tmp/r", "mode", "m".repeat(10_000))),
        of(
            "long Idempotency-Key",
            "Idempotency-Key",
            r ->
                r.header("Idempotency-Key", "k".repeat(300))
                    .body(Map.of("repository", "/tmp/r"))
                    .post("/api/v1/jobs")),
        of(
            "page path with %00",
            "path",
            r -> r.urlEncodingEnabled(false).get("/api/v1/repositories/some-repo/pages/a%00b.md")),
        of(
            "repository id with %00",
            "id", r -> r.urlEncodingEnabled(false).get("/api/v1/repositories/x%00y/pages")),
        of(
            "job list filtered by a NUL repository id",
            "repository",
            r -> r.urlEncodingEnabled(false).get("/api/v1/jobs?repository=a%00b")),
        of(
            "search query of 1,500 characters",
            "q",
            r -> r.queryParam("q", "q".repeat(1500)).get("/api/v1/repositories/r/search")),
        of(
            "search query with NUL",
            "q",
            r -> r.urlEncodingEnabled(false).get("/api/v1/repositories/r/search?q=a%00b")),
        of(
            "schedule that never falls due",
            "cron",
            r -> r.body(Map.of("cron", "0 0 30 2 *")).put("/api/v1/repositories/r/schedule")),
        of(
            "schedule every second",
            "cron",
            r -> r.body(Map.of("cron", "* * * * * *")).put("/api/v1/repositories/r/schedule")),
        of(
            "long schedule time zone",
            "timeZone",
            r ->
                r.body(Map.of("cron", "0 3 * * *", "timeZone", "Z".repeat(5000)))
                    .put("/api/v1/repositories/r/schedule")));
  }

  private static Arguments job(String name, String field, Map<String, String> body) {
    return of(name, field, r -> r.body(body).post("/api/v1/jobs"));
  }

  private static Arguments of(
      String name, String field, Function<RequestSpecification, Response> send) {
    return Arguments.of(name, new Case(field, send));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isABadRequestNamingTheField(String name, Case input) {
    Response response = input.send().apply(OrchestratorTesting.api());
    assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
    assertThat(response.jsonPath().getList("errors.field", String.class))
        .as(response.asString())
        .contains(input.field());
    // A message quotes a short prefix of the value, never the whole of it.
    assertThat(response.asString().length()).isLessThan(2_000);
  }
}
