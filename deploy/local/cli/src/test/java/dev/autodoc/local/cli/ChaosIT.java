package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.stack.ManagedProcess;
import dev.autodoc.local.stack.Ports;
import dev.autodoc.local.stack.Server;
import dev.autodoc.local.stack.StackEndpoints;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults a real deployment meets, on one shared deployment of separate processes: a worker, the
 * orchestrator (after fan-out, and while finishing), the Kafka broker and PostgreSQL each killed
 * with SIGKILL in the middle of a job, and a callback receiver that is down. After each, the job
 * completes with exactly one JobCompleted, every scope succeeded once, its pages are stored once,
 * and no outbox holds an event left unpublished. Each scenario prints how long the job took to
 * recover from the fault. Last, a client follows a job's event stream across two orchestrator
 * replicas while one is killed and started again, and gets every event once, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {
  /** Slow steps, so faults land mid-scope; short leases and limits, so recovery is quick. */
  private static final Map<String, String> WORKER =
      Map.of(
          "autodoc.worker.fault-injection-step-delay", "700ms",
          "autodoc.worker.scopes-in-flight", "1",
          "autodoc.worker.lease", "4s",
          "autodoc.worker.heartbeat-interval", "1s",
          // Logs as in a cluster, to check the job's fields on its lines.
          "quarkus.log.console.json.enabled", "true");

  private static final Map<String, String> SERVICES =
      Map.of(
          "autodoc.orchestrator.step-lease", "3s",
          "autodoc.orchestrator.fault-injection-finalize-delay", "4s",
          "autodoc.reconciler.stale-after", "8s",
          "autodoc.reconciler.stuck-after", "5s",
          "autodoc.reconciler.check-interval", "1s",
          "autodoc.callback.initial-backoff", "1s",
          "autodoc.callback.max-backoff", "2s",
          "autodoc.callback.max-attempts", "8");

  private static Path dataDir;
  private static LocalDeployment deployment;
  private static StackEndpoints endpoints;
  private static ApiClient api;
  private static KafkaProbe kafka;

  @BeforeAll
  static void deploy() throws Exception {
    dataDir = CliTesting.newDataDir("chaos");
    deployment =
        LocalDeployment.start(
            Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath(),
            dataDir,
            new LocalDeployment.ServiceOptions(2, WORKER, SERVICES),
            message -> System.out.println("· " + message));
    endpoints = deployment.stack().endpoints();
    api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
    kafka = new KafkaProbe(endpoints.kafkaBootstrapServers(), Topics.all());
  }

  @AfterAll
  static void stop() {
    try {
      kafka.close();
      deployment.close();
      assertThat(CliTesting.processesUsing(dataDir)).isEmpty();
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  @Test
  @Order(1)
  void aWorkerKilledMidScope() throws Exception {
    try (GitFixture repo = CliTesting.nestedScopes()) {
      String id = submit(repo, null);
      // Whichever worker the scope went to: partitions are assigned, not chosen.
      JsonNode running = CliTesting.awaitRunningScope(deployment, api, id, "worker-");
      String victim = running.path("path").asText();
      long fault = System.nanoTime();
      kill(CliTesting.workerOf(deployment, running));
      JsonNode job = recovered(id, fault, "a worker killed mid-scope");
      assertThat(scope(job, victim).path("attempt").asInt()).isEqualTo(2);
      // The survivor said it took the scope over, on a line that names the job and scope.
      var takeOver =
          CliTesting.jsonLogLines(
                  dataDir.resolve("logs/worker-1.log"), dataDir.resolve("logs/worker-2.log"))
              .stream()
              .filter(l -> l.path("message").asText().startsWith("taking over scope " + id))
              .toList();
      assertThat(takeOver)
          .isNotEmpty()
          .allSatisfy(
              l -> {
                assertThat(l.path("mdc").path("jobId").asText()).isEqualTo(id);
                assertThat(l.path("mdc").path("scope").asText())
                    .isEqualTo(victim.isEmpty() ? "." : victim);
                assertThat(l.path("mdc").path("attempt").asText()).matches("[12]");
              });
    }
  }

  @Test
  @Order(2)
  void theOrchestratorKilledAfterFanOut() throws Exception {
    try (GitFixture repo = CliTesting.nestedScopes()) {
      String id = submit(repo, null);
      CliTesting.awaitRunningScope(deployment, api, id, "worker-");
      long fault = System.nanoTime();
      kill(service("orchestrator"));
      recovered(id, fault, "the orchestrator killed after fan-out");
    }
  }

  @Test
  @Order(3)
  void theOrchestratorKilledWhileFinishing() throws Exception {
    try (GitFixture repo = CliTesting.nestedScopes()) {
      String id = submit(repo, null);
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> api.job(id).body().path("status").asText().equals("FINALIZING"));
      long fault = System.nanoTime();
      kill(service("orchestrator"));
      JsonNode job = recovered(id, fault, "the orchestrator killed while finishing");
      assertThat(job.path("pullRequest").path("branch").asText()).isEqualTo("autodoc/" + id);
    }
  }

  @Test
  @Order(4)
  void theBrokerKilledAndRestarted() throws Exception {
    serverKilledAndRestarted(Server.KAFKA, "the Kafka broker killed and restarted");
  }

  @Test
  @Order(5)
  void postgresKilledAndRestarted() throws Exception {
    serverKilledAndRestarted(Server.POSTGRES, "PostgreSQL killed and restarted");
  }

  /** The server dies with SIGKILL mid-scope and comes back on its port 3 s later. */
  private static void serverKilledAndRestarted(Server server, String what) throws Exception {
    try (GitFixture repo = CliTesting.nestedScopes()) {
      String id = submit(repo, null);
      CliTesting.awaitRunningScope(deployment, api, id, "worker-");
      long fault = System.nanoTime();
      deployment.stack().kill(server);
      Thread.sleep(3_000);
      deployment.stack().restart(server);
      recovered(id, fault, what);
    }
  }

  @Test
  @Order(6)
  void aCallbackReceiverThatIsDown() throws Exception {
    int port = Ports.free();
    try (GitFixture repo = CliTesting.nestedScopes()) {
      String id = submit(repo, "http://127.0.0.1:" + port + "/hook");
      long fault = System.nanoTime();
      recovered(id, fault, "the callback receiver down (the job itself)");
      // Attempts fail while nothing listens; the receiver comes up; one delivery arrives.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> api.job(id).body().path("callback").path("attempts").size() >= 2);
      AtomicInteger received = new AtomicInteger();
      HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      receiver.createContext(
          "/hook",
          exchange -> {
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      receiver.start();
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    api.job(id)
                        .body()
                        .path("callback")
                        .path("status")
                        .asText()
                        .equals("DELIVERED"));
        Thread.sleep(3_000);
        assertThat(received).hasValue(1);
        System.out.printf(
            "chaos: the callback receiver down: delivered %.1f s after the job ended, on attempt"
                + " %d%n",
            (System.nanoTime() - fault) / 1e9,
            api.job(id).body().path("callback").path("attempts").size());
      } finally {
        receiver.stop(0);
      }
    }
  }

  /**
   * The autoscaler scaling in: a worker gets SIGTERM while a scope runs. It finishes that scope
   * itself (attempt 1, nothing taken over), leaves no scope half-done, and exits; the requests it
   * never acknowledged go to the other workers.
   */
  @Test
  @Order(7)
  void aWorkerStoppedMidScopeFinishesItAndHandsBackTheRest() throws Exception {
    try (GitFixture repo = CliTesting.nestedScopes()) {
      String id = submit(repo, null);
      JsonNode running = CliTesting.awaitRunningScope(deployment, api, id, "worker-");
      String finishing = running.path("path").asText();
      String stopped = running.path("workerId").asText();
      ManagedProcess worker = CliTesting.workerOf(deployment, running);
      long fault = System.nanoTime();
      ProcessHandle.of(worker.pid()).orElseThrow().destroy();
      await().atMost(Duration.ofSeconds(90)).until(() -> !worker.isAlive());
      System.out.printf(
          "chaos: a worker stopped with SIGTERM mid-scope exited after %.1f s%n",
          (System.nanoTime() - fault) / 1e9);
      try (Connection db =
              DriverManager.getConnection(
                  endpoints.jdbcUrl(), endpoints.postgresUser(), endpoints.postgresPassword());
          var runs =
              db.prepareStatement(
                  "select scope_path, status, attempt from worker.scope_run"
                      + " where job_id = ? and worker_id = ?")) {
        runs.setObject(1, java.util.UUID.fromString(id));
        runs.setString(2, stopped);
        Map<String, String> left = new HashMap<>();
        try (var rows = runs.executeQuery()) {
          while (rows.next()) {
            left.put(rows.getString(1), rows.getString(2) + " " + rows.getInt(3));
          }
        }
        // Nothing half-done: the scope in flight succeeded, and every scope it took, too.
        assertThat(left)
            .containsEntry(finishing.equals(".") ? "" : finishing, "SUCCEEDED 1")
            .allSatisfy((path, run) -> assertThat(run).isEqualTo("SUCCEEDED 1"));
      }
      // The deployment starts that worker again, as a rollout would start a new pod.
      JsonNode job = recovered(id, fault, "a worker stopped with SIGTERM mid-scope");
      assertThat(scope(job, finishing).path("attempt").asInt()).isEqualTo(1);
    }
  }

  @Test
  @Order(8)
  void anEventStreamFollowedAcrossTwoReplicasAndARestartGivesEveryEventOnceInOrder()
      throws Exception {
    String second = deployment.startOrchestrator("orchestrator-2", SERVICES);
    var replicas = List.of(api, new ApiClient(second, deployment.apiKey()));
    try (GitFixture repo = CliTesting.nestedScopes()) {
      String id = submit(repo, null);
      var follower = new HoppingFollower(replicas, id, 3);
      Thread following = Thread.ofVirtual().start(follower);
      // Some way into the job, the first replica is killed; the supervisor starts it again.
      await().atMost(Duration.ofSeconds(60)).until(() -> follower.events().size() >= 12);
      long fault = System.nanoTime();
      kill(service("orchestrator"));
      recovered(id, fault, "the orchestrator killed while a client follows the job");
      following.join(Duration.ofSeconds(60));
      assertThat(follower.error()).isNull();
      assertThat(follower.ended()).as("the stream ended with the job").isTrue();
      assertThat(follower.used()).containsExactlyInAnyOrder(0, 1);
      var received = follower.events();
      System.out.printf(
          "chaos: event stream: %d events over %d connections to 2 replicas%n",
          received.size(), follower.connections());
      // Either replica, the restarted one too, replays exactly what the follower got.
      for (ApiClient replica : replicas) {
        var replayed =
            await()
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> HoppingFollower.replay(replica, id), r -> !r.isEmpty());
        assertThat(received).isEqualTo(replayed);
      }
      assertThat(received.stream().map(e -> Long.parseLong(e.id())).toList())
          .isSorted()
          .doesNotHaveDuplicates();
      assertThat(received.stream().filter(e -> e.name().equals("scope"))).hasSize(4);
    }
  }

  private static String submit(GitFixture repo, String callbackUrl) throws Exception {
    Map<String, Object> request = new HashMap<>(Map.of("repository", repo.url()));
    if (callbackUrl != null) {
      request.put("callbackUrl", callbackUrl);
    }
    return api.submit(request).body().path("id").asText();
  }

  private static ManagedProcess service(String name) {
    return deployment.services().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static void kill(ManagedProcess process) throws Exception {
    new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
    await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
  }

  /** The scope at {@code scopePath} of the job, as the API shows it. */
  private static JsonNode scope(JsonNode job, String scopePath) {
    for (JsonNode scope : job.path("scopes")) {
      if (scope.path("path").asText().equals(scopePath)) {
        return scope;
      }
    }
    throw new AssertionError("no scope " + scopePath);
  }

  /**
   * Waits for the job to end (the API may be down meanwhile) and checks that nothing was lost or
   * done twice; prints how long recovery took.
   */
  private static JsonNode recovered(String id, long fault, String what) throws Exception {
    try {
      await()
          .atMost(Duration.ofSeconds(240))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> api.job(id).body().path("status").asText().matches("COMPLETED|FAILED"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      CliTesting.explain(deployment, api, id, "chaos: " + what + ": the job did not end");
      throw e;
    }
    JsonNode job = api.job(id).body();
    System.out.printf(
        "chaos: %s: job %s %s %.1f s after the fault%n",
        what, id, job.path("status").asText(), (System.nanoTime() - fault) / 1e9);
    assertThat(job.path("status").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
    assertThat(job.path("scopes"))
        .hasSize(4)
        .allSatisfy(s -> assertThat(s.path("status").asText()).isEqualTo("SUCCEEDED"));
    assertThat(
            kafka.records(
                r -> r.topic().equals(Topics.JOB_COMPLETED) && id.equals(r.key()),
                Duration.ofSeconds(3)))
        .as("JobCompleted records of %s", id)
        .hasSize(1);
    try (Connection db =
        DriverManager.getConnection(
            endpoints.jdbcUrl(), endpoints.postgresUser(), endpoints.postgresPassword())) {
      assertThat(count(db, "select count(*) from worker.scope_run where job_id = ?", id))
          .as("scope runs")
          .isEqualTo(4);
      assertThat(
              count(
                  db,
                  "select count(*) from worker.scope_run where job_id = ? and status = 'SUCCEEDED'",
                  id))
          .as("scopes succeeded")
          .isEqualTo(4);
      // Every scope wrote its README and its overview at least, each once.
      assertThat(
              count(db, "select count(distinct scope_path) from worker.page where job_id = ?", id))
          .isEqualTo(4);
      assertThat(
              count(
                  db,
                  "select count(*) - count(distinct (scope_path, path)) from worker.page"
                      + " where job_id = ?",
                  id))
          .as("pages stored twice")
          .isZero();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                for (String schema :
                    new String[] {"orchestrator", "worker", "reconciler", "callback"}) {
                  assertThat(count(db, "select count(*) from " + schema + ".outbox", null))
                      .as(schema + ".outbox left unpublished")
                      .isZero();
                }
              });
    }
    return job;
  }

  private static int count(Connection db, String sql, String jobId) throws SQLException {
    try (var statement = db.prepareStatement(sql)) {
      if (jobId != null) {
        statement.setObject(1, java.util.UUID.fromString(jobId));
      }
      try (var rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }
}
