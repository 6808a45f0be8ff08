package dev.autodoc.callback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.JobCompleted;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.event.QualitySummary;
import dev.autodoc.common.event.ScopeStatus;
import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.testing.KafkaProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Callbacks from JobCompleted events on the real broker to a real HTTP receiver, with every attempt
 * read back from PostgreSQL. The test profile shrinks the backoff to 200 ms, 400 ms, 800 ms and the
 * request timeout to 2 s.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class CallbackDeliveryIT {
  private static final String SECRET = "test-callback-secret";
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static WireMockServer receiver;

  @Inject Pool pool;

  @BeforeAll
  static void startReceiver() {
    receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    receiver.start();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.stop();
  }

  @Test
  void aReceiverThatFailsTwiceGetsOneSignedDeliveryOnTheThirdAttemptAfterTheBackoff()
      throws Exception {
    String path = "/flaky";
    receiver.stubFor(
        post(path)
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("failed once"));
    receiver.stubFor(
        post(path)
            .inScenario("flaky")
            .whenScenarioStateIs("failed once")
            .willReturn(aResponse().withStatus(502))
            .willSetStateTo("failed twice"));
    receiver.stubFor(
        post(path)
            .inScenario("flaky")
            .whenScenarioStateIs("failed twice")
            .willReturn(aResponse().withStatus(204)));

    JobCompleted job = completed(receiver.baseUrl() + path);
    publish(job);

    Delivery delivery = awaitEnded(job.jobId());
    assertThat(delivery.status()).isEqualTo("DELIVERED");
    assertThat(delivery.attempts()).extracting(Attempt::statusCode).containsExactly(503, 502, 204);
    // Backoff: 200 ms after the first failure, 400 ms after the second.
    assertThat(gap(delivery, 0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(gap(delivery, 1)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

    List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo(path)));
    assertThat(requests).hasSize(3);
    // One delivery id for every attempt, so the receiver can de-duplicate; each attempt signed.
    assertThat(requests)
        .extracting(r -> r.getHeader(Signatures.DELIVERY_HEADER))
        .containsOnly(delivery.id().toString());
    for (LoggedRequest request : requests) {
      String timestamp = request.getHeader(Signatures.TIMESTAMP_HEADER);
      assertThat(request.getHeader(Signatures.SIGNATURE_HEADER))
          .isEqualTo("sha256=" + hmac(timestamp + "." + request.getBodyAsString()));
      assertThat(Long.parseLong(timestamp))
          .isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond());
    }
    JsonNode body = EventCodec.json().readTree(requests.getLast().getBodyAsString());
    assertThat(body.path("jobId").asText()).isEqualTo(job.jobId().toString());
    assertThat(body.path("deliveryId").asText()).isEqualTo(delivery.id().toString());
    assertThat(body.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(body.path("repository").path("url").asText()).isEqualTo("file:///srv/repo");
    assertThat(body.path("commitSha").asText()).isEqualTo(SHA);
    assertThat(body.path("baselineSha").asText()).isEqualTo(SHA.replace('0', 'f'));
    assertThat(body.path("pullRequest").path("branch").asText())
        .isEqualTo("autodoc/" + job.jobId());
    assertThat(body.path("scopes").get(0).path("quality").path("pages").asInt()).isEqualTo(4);
    assertThat(body.path("quality").path("overall").path("pages").asInt()).isEqualTo(6);
    assertThat(body.path("quality").path("overall").path("belowThreshold").asInt()).isEqualTo(1);
    assertThat(body.path("tokens").path("prompt").asLong()).isEqualTo(1500);
    // Tampering with the body breaks the signature.
    String timestamp = requests.getLast().getHeader(Signatures.TIMESTAMP_HEADER);
    assertThat(requests.getLast().getHeader(Signatures.SIGNATURE_HEADER))
        .isNotEqualTo(
            "sha256=" + hmac(timestamp + "." + requests.getLast().getBodyAsString() + " "));
  }

  @Test
  void aReceiverThatAlwaysFailsEndsWithThreeRecordedAttemptsAndAFailedDelivery() {
    receiver.stubFor(post("/down").willReturn(aResponse().withStatus(500)));
    JobCompleted job = completed(receiver.baseUrl() + "/down");
    publish(job);

    Delivery delivery = awaitEnded(job.jobId());
    assertThat(delivery.status()).isEqualTo("FAILED");
    assertThat(delivery.attempts()).extracting(Attempt::statusCode).containsExactly(500, 500, 500);
    assertThat(delivery.attempts()).allSatisfy(a -> assertThat(a.latencyMillis()).isNotNegative());
    assertThat(delivery.error()).contains("500").contains("gave up after 3 attempts");
    assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/down")))).hasSize(3);
  }

  @Test
  void aBadRequestIsNotRetried() {
    receiver.stubFor(post("/strict").willReturn(aResponse().withStatus(400)));
    JobCompleted job = completed(receiver.baseUrl() + "/strict");
    publish(job);

    Delivery delivery = awaitEnded(job.jobId());
    assertThat(delivery.status()).isEqualTo("FAILED");
    assertThat(delivery.attempts()).extracting(Attempt::statusCode).containsExactly(400);
    assertThat(delivery.error()).contains("400").contains("not retried");
  }

  @Test
  void tooManyRequestsIsRetriedAfterTheReceiversRetryAfter() {
    String path = "/busy";
    receiver.stubFor(
        post(path)
            .inScenario("busy")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
            .willSetStateTo("free"));
    receiver.stubFor(
        post(path)
            .inScenario("busy")
            .whenScenarioStateIs("free")
            .willReturn(aResponse().withStatus(200)));
    JobCompleted job = completed(receiver.baseUrl() + path);
    publish(job);

    Delivery delivery = awaitEnded(job.jobId());
    assertThat(delivery.status()).isEqualTo("DELIVERED");
    assertThat(delivery.attempts()).extracting(Attempt::statusCode).containsExactly(429, 200);
    // The receiver asked for 2 s, far more than the 200 ms backoff.
    assertThat(gap(delivery, 0)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void timeoutsAndRefusedConnectionsAreRetried() throws Exception {
    String path = "/slow";
    receiver.stubFor(
        post(path)
            .inScenario("slow")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(200).withFixedDelay(3_000))
            .willSetStateTo("quick"));
    receiver.stubFor(
        post(path)
            .inScenario("slow")
            .whenScenarioStateIs("quick")
            .willReturn(aResponse().withStatus(200)));
    JobCompleted slow = completed(receiver.baseUrl() + path);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    JobCompleted nobody = completed("http://127.0.0.1:" + closedPort + "/hook");
    publish(slow);
    publish(nobody);

    Delivery timedOut = awaitEnded(slow.jobId());
    assertThat(timedOut.status()).isEqualTo("DELIVERED");
    assertThat(timedOut.attempts()).extracting(Attempt::statusCode).containsExactly(null, 200);
    assertThat(timedOut.attempts().getFirst().error()).contains("timed out");

    Delivery refused = awaitEnded(nobody.jobId());
    assertThat(refused.status()).isEqualTo("FAILED");
    assertThat(refused.attempts()).hasSize(3);
    assertThat(refused.attempts())
        .allSatisfy(a -> assertThat(a.error()).contains("connection failed"));
  }

  @Test
  void privateLoopbackAndLinkLocalAddressesAreRefusedUnlessAllowed() {
    // The test profile allows 127.0.0.1 only; 127.0.0.2 is loopback too.
    var urls =
        Map.of(
            "http://10.1.2.3/hook",
            "private",
            "http://169.254.169.254/latest/meta-data",
            "link-local",
            "http://127.0.0.2:" + receiver.port() + "/hook",
            "loopback",
            "http://[::1]:" + receiver.port() + "/hook",
            "loopback",
            "http://192.168.0.10/hook",
            "private");
    var jobs = new ArrayList<Map.Entry<JobCompleted, String>>();
    urls.forEach(
        (url, kind) -> {
          JobCompleted job = completed(url);
          publish(job);
          jobs.add(Map.entry(job, kind));
        });
    JobCompleted notHttp = completed("ftp://example.org/hook");
    publish(notHttp);

    for (var entry : jobs) {
      Delivery delivery = awaitEnded(entry.getKey().jobId());
      assertThat(delivery.status()).isEqualTo("FAILED");
      assertThat(delivery.attempts()).isEmpty();
      assertThat(delivery.error())
          .startsWith("refused: ")
          .contains("a " + entry.getValue() + " address")
          .contains("autodoc.support.allowed-hosts");
    }
    Delivery ftp = awaitEnded(notHttp.jobId());
    assertThat(ftp.status()).isEqualTo("FAILED");
    assertThat(ftp.error()).contains("must be http or https");
  }

  @Test
  void aDeliveryLeftMidBackoffByAStoppedReplicaIsResumedWithItsDeliveryId() {
    receiver.stubFor(post("/resumed").willReturn(aResponse().withStatus(200)));
    UUID id = UUID.randomUUID();
    UUID jobId = UUID.randomUUID();
    // What a replica that died during the backoff after attempt 1 leaves behind: its claim lapsed.
    pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        "insert into callback.delivery (id, job_id, url, payload, status, attempts,"
                            + " next_attempt_at, claimed_until, error) values ($1, $2, $3, $4,"
                            + " 'PENDING', 1, now() + interval '1 second', now() - interval '1"
                            + " minute', 'the receiver answered 503')")
                    .execute(
                        Tuple.of(id, jobId, receiver.baseUrl() + "/resumed", "{\"resumed\":true}"))
                    .chain(
                        () ->
                            tx.preparedQuery(
                                    "insert into callback.delivery_attempt (delivery_id, attempt,"
                                        + " started_at, status_code, latency_ms) values ($1, 1,"
                                        + " now(), 503, 5)")
                                .execute(Tuple.of(id))))
        .await()
        .indefinitely();

    Delivery delivery = awaitEnded(jobId);
    assertThat(delivery.status()).isEqualTo("DELIVERED");
    assertThat(delivery.attempts()).extracting(Attempt::statusCode).containsExactly(503, 200);
    var requests = receiver.findAll(postRequestedFor(urlEqualTo("/resumed")));
    assertThat(requests).hasSize(1);
    assertThat(requests.getFirst().getHeader(Signatures.DELIVERY_HEADER)).isEqualTo(id.toString());
    assertThat(requests.getFirst().getBodyAsString()).isEqualTo("{\"resumed\":true}");
  }

  @Test
  void aRedeliveredEventMakesNoSecondDeliveryAndAPoisonRecordIsDeadLettered() {
    receiver.stubFor(post("/once").willReturn(aResponse().withStatus(200)));
    JobCompleted job = completed(receiver.baseUrl() + "/once");
    try (KafkaProbe kafka = probe()) {
      kafka.send(
          Topics.JOB_COMPLETED,
          job.jobId().toString(),
          "{not json",
          Map.of("ce_type", "dev.autodoc.job.completed.v1"));
      publish(kafka, job);
      publish(kafka, job);
      // Another JobCompleted of the same job (an orchestrator retry) is the same delivery too.
      publish(
          kafka,
          new JobCompleted(
              UUID.randomUUID(),
              job.jobId(),
              Instant.now(),
              AutodocEvent.SCHEMA_VERSION,
              job.repositoryId(),
              job.repository(),
              job.status(),
              job.commitSha(),
              job.baselineSha(),
              job.scopes(),
              null,
              job.pullRequest(),
              job.callbackUrl()));

      Delivery delivery = awaitEnded(job.jobId());
      assertThat(delivery.status()).isEqualTo("DELIVERED");
      kafka.await(
          r -> r.topic().equals(Topics.deadLetter(Topics.JOB_COMPLETED)),
          1,
          Duration.ofSeconds(30));
    }
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> receiver.findAll(postRequestedFor(urlEqualTo("/once"))).size() == 1);
    assertThat(count("select count(*) from callback.delivery where job_id = $1", job.jobId()))
        .isEqualTo(1);
  }

  @Test
  void aJobWithoutCallbackUrlHasNoDelivery() {
    JobCompleted job = completed(null);
    JobCompleted marker = completed(receiver.baseUrl() + "/marker");
    receiver.stubFor(post("/marker").willReturn(aResponse().withStatus(200)));
    publish(job);
    publish(marker);
    // Same partition key space, consumed in order: once the marker's delivery exists, the first
    // event was consumed too.
    awaitEnded(marker.jobId());
    assertThat(count("select count(*) from callback.delivery where job_id = $1", job.jobId()))
        .isZero();
  }

  // --- helpers

  record Attempt(
      int number, Instant startedAt, Integer statusCode, long latencyMillis, String error) {}

  record Delivery(UUID id, String status, String error, List<Attempt> attempts) {}

  private Delivery awaitEnded(UUID jobId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                count(
                        "select count(*) from callback.delivery where job_id = $1 and status <> 'PENDING'",
                        jobId)
                    == 1);
    Row row =
        pool.preparedQuery("select id, status, error from callback.delivery where job_id = $1")
            .execute(Tuple.of(jobId))
            .await()
            .indefinitely()
            .iterator()
            .next();
    var attempts = new ArrayList<Attempt>();
    pool.preparedQuery(
            "select attempt, started_at, status_code, latency_ms, error from"
                + " callback.delivery_attempt where delivery_id = $1 order by attempt")
        .execute(Tuple.of(row.getUUID("id")))
        .await()
        .indefinitely()
        .forEach(
            a ->
                attempts.add(
                    new Attempt(
                        a.getInteger("attempt"),
                        a.get(OffsetDateTime.class, "started_at").toInstant(),
                        a.getInteger("status_code"),
                        a.getLong("latency_ms"),
                        a.getString("error"))));
    return new Delivery(
        row.getUUID("id"), row.getString("status"), row.getString("error"), attempts);
  }

  private long count(String sql, UUID jobId) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(jobId))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }

  private static Duration gap(Delivery delivery, int after) {
    return Duration.between(
        delivery.attempts().get(after).startedAt(), delivery.attempts().get(after + 1).startedAt());
  }

  private static JobCompleted completed(String callbackUrl) {
    UUID jobId = UUID.randomUUID();
    return new JobCompleted(
        UUID.randomUUID(),
        jobId,
        Instant.now(),
        AutodocEvent.SCHEMA_VERSION,
        "repo-1",
        "file:///srv/repo",
        JobStatus.COMPLETED,
        SHA,
        SHA.replace('0', 'f'),
        List.of(
            new JobCompleted.ScopeResult(
                "api",
                ScopeStatus.SUCCEEDED,
                1,
                null,
                new QualitySummary(4, 0.9, 0.8, 0, 5),
                new TokenUsage(1000, 400)),
            new JobCompleted.ScopeResult(
                "web",
                ScopeStatus.SUCCEEDED,
                2,
                null,
                new QualitySummary(2, 0.6, 0.5, 1, 4),
                new TokenUsage(500, 100))),
        null,
        new PullRequest("file:///srv/repo#autodoc/" + jobId, "autodoc/" + jobId, SHA, 6),
        callbackUrl);
  }

  private static KafkaProbe probe() {
    return new KafkaProbe(LocalStackResource.endpoints().kafkaBootstrapServers(), Topics.all());
  }

  private static void publish(JobCompleted event) {
    try (KafkaProbe kafka = probe()) {
      publish(kafka, event);
    }
  }

  private static void publish(KafkaProbe kafka, AutodocEvent event) {
    kafka.publish(event);
  }

  private static String hmac(String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }
}
