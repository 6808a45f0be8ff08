package dev.autodoc.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.images.Podman;
import dev.autodoc.images.Service;
import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.stack.LocalStackOptions;
import dev.autodoc.local.testing.GitFixture;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The rendered base deployed in real containers, once for every test class that needs it: the
 * project's images built and loaded into podman, a real Kafka broker, PostgreSQL and S3 server (the
 * local stack, with the partitions the Kafka overlay gives each topic), the overlay a user would
 * write ({@link TestOverlay}) and the pods it renders, ready. Prints the images' sizes and build
 * times and how long each container took to become ready. Stopped when the tests end.
 */
final class DeployedBase implements AutoCloseable {
  static final Path PROJECT =
      Path.of(System.getProperty("autodoc.project.dir", "../..")).toAbsolutePath().normalize();
  private static final Path WORK = Kustomize.ROOT.resolve("target/pods");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final LocalStack stack;
  private final Pods pods;
  private final TestOverlay overlay;
  private final Path repositories;

  private DeployedBase(LocalStack stack, Pods pods, TestOverlay overlay, Path repositories) {
    this.stack = stack;
    this.pods = pods;
    this.overlay = overlay;
    this.repositories = repositories;
  }

  /**
   * Gives a test's methods the deployment the tests of this run share, deployed on first use and
   * stopped when they have all run.
   */
  static final class Shared implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == DeployedBase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context
          .getRoot()
          .getStore(ExtensionContext.Namespace.GLOBAL)
          .computeIfAbsent(DeployedBase.class, type -> deploy(), DeployedBase.class);
    }
  }

  private static DeployedBase deploy() {
    LocalStack stack = null;
    try {
      LocalStack.deleteRecursively(WORK);
      Files.createDirectories(WORK);
      for (Service service : Service.values()) {
        // The pods share the machine's network: the ports the manifests declare must be free.
        try (var socket = new ServerSocket(service.port())) {
          socket.setReuseAddress(true);
        } catch (java.io.IOException e) {
          throw new IllegalStateException(
              "port " + service.port() + " of the " + service.image() + " is taken here");
        }
      }
      var podman = new Podman(PROJECT);
      var tests = LocalStackOptions.forTests(WORK.resolve("stack"));
      stack =
          LocalStack.start(
              new LocalStackOptions(
                  tests.dataDir(),
                  tests.ephemeral(),
                  tests.cacheDir(),
                  tests.durable(),
                  tests.externalPostgres(),
                  tests.externalKafka(),
                  LocalStackOptions.defaultPartitions(scopePartitions())));
      Pods.loadImages(podman, PROJECT, WORK.resolve("images"));
      Path repositories = Files.createDirectories(WORK.resolve("repositories"));
      var overlay = TestOverlay.write(WORK.resolve("overlay"), stack.endpoints(), repositories);
      var pods =
          Pods.play(podman, Kustomize.render(overlay.dir().toString()), WORK.resolve("pods.yaml"));
      var deployed = new DeployedBase(stack, pods, overlay, repositories);
      pods.awaitReady(Duration.ofMinutes(5))
          .forEach(
              (deployment, after) ->
                  System.out.printf(
                      "pods: %-21s ready %.1f s after podman kube play%n",
                      deployment, after.toMillis() / 1e3));
      return deployed;
    } catch (Exception e) {
      if (stack != null) {
        stack.close();
      }
      throw new IllegalStateException("the base could not be deployed: " + e.getMessage(), e);
    }
  }

  LocalStack stack() {
    return stack;
  }

  Pods pods() {
    return pods;
  }

  TestOverlay overlay() {
    return overlay;
  }

  /** A new repository where the services can read it and push to it. */
  GitFixture repository(String name) {
    return GitFixture.create(repositories, name);
  }

  /** Hands the repositories to the images' user, 10001, who pushes the pull requests' branches. */
  void handOver() throws Exception {
    Process process =
        new ProcessBuilder("chown", "-R", "10001:10001", repositories.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("chown: " + out).isZero();
  }

  /** Submits a job to the containerized API; its id. */
  String submit(GitFixture repo, String callbackUrl) throws Exception {
    Map<String, String> request = new HashMap<>(Map.of("repository", repo.url()));
    if (callbackUrl != null) {
      request.put("callbackUrl", callbackUrl);
    }
    HttpResponse<String> submitted =
        api(
            HttpRequest.newBuilder(URI.create(apiUrl() + "/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))));
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    return JSON.readTree(submitted.body()).path("id").asText();
  }

  /** The job as the API shows it. */
  JsonNode job(String id) throws Exception {
    return JSON.readTree(
        api(HttpRequest.newBuilder(URI.create(apiUrl() + "/api/v1/jobs/" + id))).body());
  }

  private static String apiUrl() {
    return "http://127.0.0.1:" + Service.ORCHESTRATOR.port();
  }

  private HttpResponse<String> api(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request
            .header("Authorization", "Bearer " + overlay.secret("autodoc-api-keys/admin"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The job's scope runs that match {@code condition}, its parameters after the job's id. */
  long scopeRuns(String condition, String id, Object... parameters) {
    try (Connection db = database();
        var count =
            db.prepareStatement(
                "select count(*) from worker.scope_run where job_id = ? and " + condition)) {
      count.setObject(1, UUID.fromString(id));
      for (int i = 0; i < parameters.length; i++) {
        count.setObject(i + 2, parameters[i]);
      }
      try (var rows = count.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private Connection database() throws SQLException {
    var endpoints = stack.endpoints();
    return DriverManager.getConnection(
        endpoints.jdbcUrl(), endpoints.postgresUser(), endpoints.postgresPassword());
  }

  /** The partitions the Kafka overlay gives the topic the workers consume. */
  private static int scopePartitions() {
    return Kustomize.render("overlays/operators").stream()
        .filter(o -> o.path("kind").asText().equals("KafkaTopic"))
        .filter(o -> o.at("/spec/topicName").asText().equals(Topics.SCOPE_REQUESTED))
        .findFirst()
        .orElseThrow()
        .at("/spec/partitions")
        .asInt();
  }

  @Override
  public void close() throws Exception {
    try {
      pods.close();
    } finally {
      stack.close();
    }
  }
}
