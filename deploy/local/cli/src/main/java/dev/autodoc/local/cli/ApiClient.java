package dev.autodoc.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.event.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The few calls the CLI makes to the Autodoc API. */
final class ApiClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String key;

  ApiClient(String baseUrl, String key) {
    this.baseUrl = baseUrl;
    this.key = key;
  }

  /** A response: its status and JSON body. */
  record Reply(int status, JsonNode body) {}

  Reply submit(Map<String, Object> request) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/jobs"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    EventCodec.json().writeValueAsString(request))));
  }

  /** The newest jobs of a repository. */
  Reply jobsOf(String repository, int limit) throws IOException, InterruptedException {
    String query =
        "repository="
            + java.net.URLEncoder.encode(repository, java.nio.charset.StandardCharsets.UTF_8)
            + "&limit="
            + limit;
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/jobs?" + query)).GET());
  }

  /** The documentation pages of a repository (latest successful run of each scope). */
  Reply pages(String repositoryId) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(
                URI.create(baseUrl + "/api/v1/repositories/" + repositoryId + "/pages"))
            .GET());
  }

  /** The k chunks of a repository's pages nearest in meaning to a query. */
  Reply search(String repositoryId, String query, int k) throws IOException, InterruptedException {
    return ofRepository(repositoryId, "/search?k=" + k + "&q=" + encode(query));
  }

  /** The symbols of a repository whose names match {@code name}, best match first. */
  Reply symbols(String repositoryId, String name) throws IOException, InterruptedException {
    return ofRepository(repositoryId, "/symbols?q=" + encode(name));
  }

  private Reply ofRepository(String repositoryId, String rest)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/repositories/" + repositoryId + rest))
            .GET());
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** One page's Markdown. */
  String pageMarkdown(String repositoryId, String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(baseUrl + "/api/v1/repositories/" + repositoryId + "/pages/" + path))
                .header("Authorization", "Bearer " + key)
                .header("Accept", "text/markdown")
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET page " + path + " answered " + response.statusCode());
    }
    return response.body();
  }

  /**
   * Sets a repository's schedule ({@code cron}, and optionally {@code timeZone}, {@code branch}).
   */
  Reply schedule(String repositoryId, Map<String, Object> schedule)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(
                URI.create(baseUrl + "/api/v1/repositories/" + repositoryId + "/schedule"))
            .header("Content-Type", "application/json")
            .PUT(
                HttpRequest.BodyPublishers.ofString(
                    EventCodec.json().writeValueAsString(schedule))));
  }

  Reply unschedule(String repositoryId) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(
                URI.create(baseUrl + "/api/v1/repositories/" + repositoryId + "/schedule"))
            .DELETE());
  }

  Reply job(String id) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/jobs/" + id)).GET());
  }

  /**
   * The job's event stream after {@code lastEventId} (from the start when null); no read timeout,
   * since the stream is quiet while a step runs (the server sends keep-alives).
   */
  dev.autodoc.common.sse.EventStream events(String id, String lastEventId)
      throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/jobs/" + id + "/events"))
            .header("Authorization", "Bearer " + key)
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<java.io.InputStream> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      response.body().close();
      throw new IOException("the event stream answered HTTP " + response.statusCode());
    }
    return new dev.autodoc.common.sse.EventStream(
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                response.body(), java.nio.charset.StandardCharsets.UTF_8)),
        lastEventId);
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body =
        response.body().isBlank()
            ? EventCodec.json().nullNode()
            : EventCodec.json().readTree(response.body());
    return new Reply(response.statusCode(), body);
  }
}
