package dev.autodoc.local.cli;

import static dev.autodoc.local.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.testing.GitFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Callbacks through the whole local deployment: CLI, orchestrator, callback service, receiver. */
class CallbackIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A receiver on loopback that answers the given statuses in turn, then the last one. */
  record Receiver(HttpServer server, List<Received> requests) implements AutoCloseable {
    static Receiver answering(int... statuses) throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      var requests = new CopyOnWriteArrayList<Received>();
      var next = new AtomicInteger();
      server.createContext(
          "/hook",
          exchange -> {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(
                new Received(
                    System.nanoTime(),
                    exchange.getRequestHeaders().getFirst("X-Autodoc-Delivery"),
                    exchange.getRequestHeaders().getFirst("X-Autodoc-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-Autodoc-Signature"),
                    body,
                    exchange.getRequestHeaders().getFirst("traceparent")));
            int status = statuses[Math.min(next.getAndIncrement(), statuses.length - 1)];
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
          });
      server.start();
      return new Receiver(server, requests);
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  record Received(
      long nanos,
      String delivery,
      String timestamp,
      String signature,
      String body,
      String traceParent) {}

  @Test
  void theCliPassesTheCallbackUrlAndShowsEveryAttemptOfTheSignedDelivery() throws Exception {
    Path dataDir = CliTesting.newDataDir("callback");
    try (GitFixture repo = CliTesting.nestedScopes();
        Receiver receiver = Receiver.answering(503, 503, 200)) {
      CliTesting.Result result =
          run(
              "generate",
              repo.url(),
              "--callback-url",
              receiver.url(),
              "--data-dir",
              dataDir.toString());

      assertThat(result.status()).as(result.output()).isZero();
      assertThat(result.output())
          .contains("· callback attempt 1: HTTP 503")
          .contains("· callback attempt 2: HTTP 503")
          .contains("· callback attempt 3: HTTP 200")
          .contains("· callback delivered");
      String jobId = RunningAutodoc.jobId(result);
      assertThat(receiver.requests()).hasSize(3);
      assertThat(receiver.requests())
          .extracting(Received::delivery)
          .doesNotContainNull()
          .containsOnly(receiver.requests().getFirst().delivery());
      // The default backoff: 2 s after the first failure, 4 s after the second.
      var r = receiver.requests();
      assertThat(Duration.ofNanos(r.get(1).nanos() - r.get(0).nanos()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
      assertThat(Duration.ofNanos(r.get(2).nanos() - r.get(1).nanos()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(3900));

      String secret =
          Files.readString(dataDir.resolve(LocalDeployment.CALLBACK_SECRET_FILE)).strip();
      for (Received request : receiver.requests()) {
        assertThat(request.signature())
            .isEqualTo("sha256=" + hmac(secret, request.timestamp() + "." + request.body()));
      }
      JsonNode body = JSON.readTree(r.getLast().body());
      assertThat(body.path("jobId").asText()).isEqualTo(jobId);
      assertThat(body.path("status").asText()).isEqualTo("COMPLETED");
      assertThat(body.path("scopes")).hasSize(4);
      // The real pages' quality and the pull request the job opened.
      assertThat(body.path("quality").path("overall").path("pages").asInt()).isPositive();
      assertThat(body.path("quality").path("overall").path("meanScore").asDouble())
          .isBetween(0.0, 1.0);
      assertThat(body.path("pullRequest").path("branch").asText()).isEqualTo("autodoc/" + jobId);
    } finally {
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  @Test
  void aCallbackServiceStoppedDuringTheBackoffIsResumedByTheNextOneWithTheSameDeliveryId()
      throws Exception {
    Path dataDir = CliTesting.newDataDir("callback-restart");
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    Map<String, String> slowBackoff = Map.of("autodoc.callback.initial-backoff", "8s");
    try (GitFixture repo = CliTesting.repository("callback-restart");
        Receiver receiver = Receiver.answering(503, 200);
        LocalDeployment deployment =
            LocalDeployment.start(
                project,
                dataDir,
                new LocalDeployment.ServiceOptions(1, Map.of(), slowBackoff),
                m -> {})) {
      repo.write("lib/util.py", "def f():\n    return 1\n").commit("one file");
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      String id =
          api.submit(Map.of("repository", repo.url(), "callbackUrl", receiver.url()))
              .body()
              .path("id")
              .asText();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> api.job(id).body().path("callback").path("attempts").size() == 1);
      JsonNode waiting = api.job(id).body().path("callback");
      assertThat(waiting.path("status").asText()).isEqualTo("PENDING");
      assertThat(waiting.path("nextAttemptAt").asText()).isNotEmpty();

      ManagedProcess callback =
          deployment.services().stream()
              .filter(s -> s.name().equals("callback"))
              .findFirst()
              .orElseThrow();
      ProcessHandle.of(callback.pid()).orElseThrow().destroyForcibly();
      await().atMost(Duration.ofSeconds(10)).until(() -> !callback.isAlive());
      deployment.startCallback(slowBackoff);

      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  api.job(id).body().path("callback").path("status").asText().equals("DELIVERED"));
      JsonNode delivered = api.job(id).body().path("callback");
      assertThat(delivered.path("attempts").findValuesAsText("statusCode"))
          .containsExactly("503", "200");
      assertThat(receiver.requests()).hasSize(2);
      assertThat(receiver.requests())
          .extracting(Received::delivery)
          .containsOnly(delivered.path("deliveryId").asText());
      // The new process waited out the backoff the stopped one had recorded.
      var r = receiver.requests();
      assertThat(Duration.ofNanos(r.get(1).nanos() - r.get(0).nanos()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(7900));
    } finally {
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  private static String hmac(String secret, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }
}
