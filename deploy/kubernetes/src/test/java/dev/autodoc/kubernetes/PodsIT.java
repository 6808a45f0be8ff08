package dev.autodoc.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.autodoc.local.testing.GitFixture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rendered base in real containers ({@link DeployedBase}), configured only by the manifests'
 * ConfigMaps, Secrets and environment: a job submitted to the containerized API completes with its
 * pull request and its signed callback; every probe answers, and the root file systems stay
 * read-only. Prints the memory each container used under the job.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DeployedBase.Shared.class)
class PodsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static DeployedBase base;
  private static final Map<String, Long> peakMemory = new ConcurrentHashMap<>();

  @BeforeAll
  static void deploy(DeployedBase deployed) {
    base = deployed;
  }

  @Test
  @Order(1)
  void aJobSubmittedToTheContainerizedApiCompletesWithItsPullRequestAndCallback() throws Exception {
    List<Map.Entry<Map<String, List<String>>, String>> callbacks = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          callbacks.add(Map.entry(Map.copyOf(exchange.getRequestHeaders()), body));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try (GitFixture repo = base.repository("shop")) {
      repo.write(".autodoc.yaml", "name: shop\n")
          .write("src/Main.java", "/** The shop. */\nclass Main {}\n")
          .write("services/.autodoc.yaml", "name: services\n")
          .write("services/Registry.java", "class Registry {}\n")
          .write("web/.autodoc.yaml", "")
          .write("web/index.ts", "export const x = 1;\n")
          .commit("shop");
      base.handOver();

      String id =
          base.submit(repo, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");

      long start = System.nanoTime();
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                base.pods().memory().forEach((d, bytes) -> peakMemory.merge(d, bytes, Math::max));
                return base.job(id).path("status").asText().matches("COMPLETED|FAILED");
              });
      JsonNode job = base.job(id);
      System.out.printf(
          "pods: job %s %s in %.1f s%n",
          id, job.path("status").asText(), (System.nanoTime() - start) / 1e9);
      assertThat(job.path("status").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
      assertThat(job.path("scopes"))
          .hasSize(3)
          .allSatisfy(s -> assertThat(s.path("status").asText()).isEqualTo("SUCCEEDED"));
      // The pull request: the documentation branch pushed into the repository.
      String branch = job.path("pullRequest").path("branch").asText();
      assertThat(branch).isEqualTo("autodoc/" + id);
      try (Git git = Git.open(repo.dir().toFile())) {
        assertThat(git.getRepository().resolve("refs/heads/" + branch)).isNotNull();
      }

      await().atMost(Duration.ofMinutes(1)).until(() -> !callbacks.isEmpty());
      var delivery = callbacks.get(0);
      String body = delivery.getValue();
      assertThat(JSON.readTree(body).path("jobId").asText()).isEqualTo(id);
      String timestamp = header(delivery.getKey(), "X-autodoc-timestamp");
      assertThat(header(delivery.getKey(), "X-autodoc-signature"))
          .isEqualTo(sign(base.overlay().secret("autodoc-callback/secret"), timestamp, body));
    } finally {
      receiver.stop(0);
    }
    peakMemory.forEach(
        (deployment, bytes) ->
            System.out.printf(
                "pods: %-21s %4d MiB at most under the job (limit %s)%n",
                deployment, bytes >> 20, limit(deployment).asText()));
  }

  @Test
  @Order(2)
  void everyContainerIsReadyRunsAsTheManifestSaysAndWritesNothingToItsImage() throws Exception {
    for (String deployment : base.pods().deployments().keySet()) {
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        assertThat(base.pods().probe(deployment, probe))
            .as(deployment + " " + probe)
            .isEqualTo(200);
      }
      JsonNode container = base.pods().inspect(deployment);
      assertThat(container.at("/HostConfig/ReadonlyRootfs").asBoolean()).as(deployment).isTrue();
      assertThat(container.at("/Config/User").asText()).as(deployment).startsWith("10001");
      assertThat(container.at("/Config/Env").toString())
          .as(deployment + ": Kafka from the ConfigMap")
          .contains("KAFKA_BOOTSTRAP_SERVERS=" + base.stack().endpoints().kafkaBootstrapServers());
      // Nothing but the mount points of its volumes differs from the image.
      List<String> mounts =
          base.pods()
              .deployments()
              .get(deployment)
              .at("/spec/template/spec/containers/0/volumeMounts")
              .findValuesAsText("mountPath");
      assertThat(base.pods().changedFiles(deployment))
          .as(deployment)
          .allSatisfy(
              line ->
                  assertThat(mounts.stream().anyMatch(m -> line.matches("[AC] " + parents(m))))
                      .as(line)
                      .isTrue());
    }
  }

  /** A path and each directory above it, as a pattern. */
  private static String parents(String mountPath) {
    var pattern = new StringBuilder("(/");
    String[] parts = mountPath.substring(1).split("/");
    var path = new StringBuilder();
    for (String part : parts) {
      path.append('/').append(part);
      pattern.append('|').append(java.util.regex.Pattern.quote(path.toString()));
    }
    return pattern.append(')').toString().replace("(/|", "(");
  }

  private static JsonNode limit(String deployment) {
    return base.pods()
        .deployments()
        .get(deployment)
        .at("/spec/template/spec/containers/0/resources/limits/memory");
  }

  private static String header(Map<String, List<String>> headers, String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(e -> e.getValue().get(0))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no header " + name + " in " + headers.keySet()));
  }

  private static String sign(String secret, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }
}
