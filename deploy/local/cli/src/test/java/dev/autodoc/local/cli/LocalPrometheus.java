package dev.autodoc.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.stack.Ports;
import java.io.IOException;
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
import java.util.Properties;
import java.util.TreeMap;

/**
 * Debian's Prometheus (installed by {@code deploy/grafana/install-prometheus.sh}) on a free
 * loopback port, scraping every service of a local deployment every second as a ServiceMonitor
 * would: job named after the service, and a {@code namespace} label.
 */
final class LocalPrometheus implements AutoCloseable {
  static final String NAMESPACE = "autodoc";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManagedProcess process;
  private final String url;
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalPrometheus(ManagedProcess process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts scraping the services whose settings are in {@code dataDir/services}. */
  static LocalPrometheus scraping(Path project, Path dataDir) throws Exception {
    install(project);
    Path home = dataDir.resolve("prometheus");
    Files.createDirectories(home);
    Files.writeString(home.resolve("prometheus.yml"), config(dataDir));
    int port = Ports.free();
    ManagedProcess process =
        ManagedProcess.start(
            "prometheus",
            List.of(
                "prometheus",
                "--config.file=" + home.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + home.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port),
            Map.of(),
            home,
            dataDir.resolve("logs/prometheus.log"),
            ManagedProcess.StopSignal.TERM);
    var prometheus = new LocalPrometheus(process, "http://127.0.0.1:" + port);
    process.awaitReady(Duration.ofSeconds(60), prometheus::ready);
    return prometheus;
  }

  private static void install(Path project) throws Exception {
    Path script = project.resolve("deploy/grafana/install-prometheus.sh");
    Process install = new ProcessBuilder(script.toString()).inheritIO().start();
    if (install.waitFor() != 0) {
      throw new IllegalStateException(script + " failed with exit code " + install.exitValue());
    }
  }

  /** One scrape job per service kind, each instance a target of its own. */
  private static String config(Path dataDir) throws IOException {
    Map<String, List<String>> targets = new TreeMap<>();
    try (var files = Files.list(dataDir.resolve("services"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
        Properties settings = LocalStack.readProperties(file);
        String name = file.getFileName().toString().replace(".properties", "");
        String job = "autodoc-" + (name.startsWith("worker") ? "scope-worker" : name);
        targets
            .computeIfAbsent(job, j -> new java.util.ArrayList<>())
            .add("'127.0.0.1:" + settings.getProperty("quarkus.http.port") + "'");
      }
    }
    var yaml = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
    yaml.append("scrape_configs:\n");
    targets.forEach(
        (job, addresses) ->
            yaml.append("  - job_name: ")
                .append(job)
                .append("\n    metrics_path: /q/metrics\n    static_configs:\n      - targets: ")
                .append(addresses)
                .append("\n        labels:\n          namespace: ")
                .append(NAMESPACE)
                .append('\n'));
    return yaml.toString();
  }

  private boolean ready() {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** GETs an API path with the query parameters; the JSON answer, whatever its status. */
  JsonNode api(String path, Map<String, String> parameters) throws Exception {
    var query = new StringBuilder();
    parameters.forEach(
        (k, v) ->
            query
                .append(query.isEmpty() ? "?" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url + path + query)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /** An instant query. */
  JsonNode query(String promql) throws Exception {
    return api("/api/v1/query", Map.of("query", promql));
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
  }
}
