package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autodoc.common.repo.RepositoryRef;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The API of the Autodoc that {@code generate --keep-running} left up in a data directory. */
final class RunningAutodoc {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Path dataDir;

  RunningAutodoc(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** The id of the job a {@code generate} run submitted. */
  static String jobId(CliTesting.Result result) {
    return find("job ([0-9a-f-]{36}) submitted", result);
  }

  /** The branch of the pull request a {@code generate} run opened. */
  static String branch(CliTesting.Result result) {
    return find("pull request: branch (autodoc/[0-9a-f-]{36})", result);
  }

  private static String find(String regex, CliTesting.Result result) {
    Matcher m = Pattern.compile(regex).matcher(result.output());
    assertThat(m.find()).as(result.output()).isTrue();
    return m.group(1);
  }

  /**
   * The pages of the given kinds that were written between two readings of the pages (their time of
   * writing changed); a page kept by an incremental run keeps its time.
   */
  static List<String> rewritten(
      Map<String, JsonNode> before, Map<String, JsonNode> after, String... kinds) {
    return after.entrySet().stream()
        .filter(e -> List.of(kinds).contains(e.getValue().path("kind").asText()))
        .filter(
            e ->
                !before.containsKey(e.getKey())
                    || !e.getValue()
                        .path("generatedAt")
                        .equals(before.get(e.getKey()).path("generatedAt")))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** A job's time from its submission to its end, as the orchestrator stamps them, in seconds. */
  static double seconds(JsonNode job) {
    return java.time.Duration.between(
                java.time.Instant.parse(job.path("createdAt").asText()),
                java.time.Instant.parse(job.path("finishedAt").asText()))
            .toMillis()
        / 1000.0;
  }

  JsonNode job(String id) throws Exception {
    return get("/api/v1/jobs/" + id);
  }

  /** A repository's documentation as the API serves it, by path. */
  Map<String, JsonNode> pages(String repository) throws Exception {
    Map<String, JsonNode> pages = new TreeMap<>();
    get("/api/v1/repositories/" + RepositoryRef.parse(repository).id() + "/pages")
        .forEach(p -> pages.put(p.path("path").asText(), p));
    return pages;
  }

  String markdown(String repository, String path) throws Exception {
    return send(
        "/api/v1/repositories/" + RepositoryRef.parse(repository).id() + "/pages/" + path,
        "text/markdown");
  }

  /**
   * Waits until the worker has warmed up while idle, as a stack left up for a few seconds has; the
   * line it logged.
   */
  String awaitWarmedUp() {
    Path log = dataDir.resolve("logs").resolve("worker-1.log");
    return await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                Files.exists(log)
                    ? Files.readAllLines(log).stream()
                        .filter(l -> l.contains("warmed up:"))
                        .findFirst()
                        .orElse(null)
                    : null,
            Objects::nonNull);
  }

  /** Waits until search finds every page of the repository ({@link CliTesting#awaitIndexed}). */
  void awaitIndexed(String repository) {
    var deployment = LocalDeployment.attach(dataDir).orElseThrow();
    CliTesting.awaitIndexed(
        new ApiClient(deployment.apiUrl(), deployment.apiKey()),
        RepositoryRef.parse(repository).id());
  }

  /** The chunks nearest to the query, once the index has caught up with the pages. */
  String search(String repository, String query) throws Exception {
    awaitIndexed(repository);
    return send(
        "/api/v1/repositories/"
            + RepositoryRef.parse(repository).id()
            + "/search?k=50&q="
            + URLEncoder.encode(query, StandardCharsets.UTF_8),
        "application/json");
  }

  JsonNode get(String path) throws Exception {
    return JSON.readTree(send(path, "application/json"));
  }

  private String send(String path, String accept) throws Exception {
    var deployment = LocalDeployment.attach(dataDir).orElseThrow();
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(deployment.apiUrl() + path))
                .header("Authorization", "Bearer " + deployment.apiKey())
                .header("Accept", accept)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return response.body();
  }
}
