package dev.autodoc.orchestrator;

import static dev.autodoc.orchestrator.OrchestratorTesting.awaitStatus;
import static dev.autodoc.orchestrator.OrchestratorTesting.repository;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.messaging.Topics;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class KafkaIntakeIT {

  @Test
  void aPlainProducerCanSubmitAJobWithoutCloudEventsHeaders() {
    try (GitFixture repo = repository("intake-plain");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      repo.write("main.go", "package main\n").commit("go");
      String jobId = UUID.randomUUID().toString();
      kafka.send(Topics.JOB_REQUESTED, repo.url(), request(jobId, repo.url()), Map.of());
      var job = awaitStatus(jobId, "RUNNING");
      assertThat(job.getList("scopes.path")).containsExactly("");
      // The same request delivered again creates nothing new.
      kafka.send(Topics.JOB_REQUESTED, repo.url(), request(jobId, repo.url()), Map.of());
      var listed =
          OrchestratorTesting.api()
              .queryParam("repository", repo.url())
              .get("/api/v1/jobs")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("items.id");
      assertThat(listed).containsExactly(jobId);
    }
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicWithTheReasonAndIntakeGoesOn() {
    try (GitFixture repo = repository("intake-poison");
        KafkaProbe kafka = OrchestratorTesting.probe()) {
      repo.write("a.rs", "fn main() {}\n").commit("rust");
      kafka.send(Topics.JOB_REQUESTED, "bad-1", "{this is not json", Map.of());
      kafka.send(
          Topics.JOB_REQUESTED,
          "bad-2",
          "{\"eventId\":\""
              + UUID.randomUUID()
              + "\",\"occurredAt\":\"2026-11-22T08:00:00Z\",\"schemaVersion\":1,\"repository\":\"/x\"}",
          Map.of());
      kafka.send(
          Topics.JOB_REQUESTED,
          "bad-3",
          request(UUID.randomUUID().toString(), "ftp://example.org/repo"),
          Map.of());
      kafka.send(
          Topics.JOB_REQUESTED,
          "bad-4",
          request(UUID.randomUUID().toString(), "https://169.254.169.254/latest/x.git"),
          Map.of());
      // Not UTF-8, in key and value: the dead letter must carry these very bytes.
      byte[] binaryKey = {'b', 'a', 'd', '-', '5', (byte) 0xff, 0x00};
      byte[] binaryValue = {'{', (byte) 0xc3, (byte) 0x28, (byte) 0xa0, (byte) 0xa1, 0x00, '}'};
      kafka.sendRaw(Topics.JOB_REQUESTED, binaryKey, binaryValue);
      String good = UUID.randomUUID().toString();
      kafka.send(Topics.JOB_REQUESTED, repo.url(), request(good, repo.url()), Map.of());

      awaitStatus(good, "RUNNING");
      var dead =
          kafka.await(
              r ->
                  r.topic().equals(Topics.deadLetter(Topics.JOB_REQUESTED))
                      && r.key() != null
                      && r.key().startsWith("bad-"),
              4,
              Duration.ofSeconds(30));
      assertThat(dead)
          .extracting(r -> r.key() + " " + KafkaProbe.header(r, "dead-letter-reason"))
          .anySatisfy(s -> assertThat(s).startsWith("bad-1").contains("not valid JSON"))
          .anySatisfy(s -> assertThat(s).startsWith("bad-2").contains("'jobId' is required"))
          .anySatisfy(s -> assertThat(s).startsWith("bad-3").contains("repository"))
          .anySatisfy(
              s ->
                  assertThat(s)
                      .startsWith("bad-4")
                      .contains("169.254.169.254, a link-local address"));
      var binary =
          kafka
              .rawRecords(
                  Topics.deadLetter(Topics.JOB_REQUESTED),
                  r -> r.key() != null && java.util.Arrays.equals(r.key(), binaryKey),
                  1,
                  Duration.ofSeconds(30))
              .getFirst();
      assertThat(binary.value()).isEqualTo(binaryValue);
      assertThat(KafkaProbe.header(binary, "dead-letter-reason")).contains("not UTF-8");
      assertThat(dead)
          .filteredOn(r -> r.key().equals("bad-1"))
          .first()
          .satisfies(r -> assertThat(r.value()).isEqualTo("{this is not json"));
    }
  }

  private static String request(String jobId, String repository) {
    return "{\"eventId\":\""
        + UUID.randomUUID()
        + "\",\"jobId\":\""
        + jobId
        + "\",\"occurredAt\":\"2026-11-22T08:00:00Z\","
        + "\"schemaVersion\":1,\"repository\":\""
        + repository
        + "\"}";
  }
}
