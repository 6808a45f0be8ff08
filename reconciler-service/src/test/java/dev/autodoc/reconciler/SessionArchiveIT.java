package dev.autodoc.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.event.AutodocEvent;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.JobCompleted;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.testing.KafkaProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions of an ended job go to the real S3-compatible server as gzip JSON Lines and are indexed
 * as archived only after they were read back; with the server stopped they stay unarchived (and so
 * undeleted) until it is back. The workers, who own the sessions, are played by rows here.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class SessionArchiveIT {
  @Inject Pool pool;
  @Inject ObjectStore store;

  @BeforeEach
  void neighbours() {
    Neighbours.migrate();
  }

  @Test
  void theSessionsOfAnEndedJobAreInS3WithTheirContentAndIndexedAsArchived() throws Exception {
    UUID job = UUID.randomUUID();
    List<UUID> sessions = sessions(job, 3);
    try (KafkaProbe kafka = Neighbours.probe()) {
      Neighbours.publish(kafka, ended(job, "repo-archive"));
    }

    Row archive = awaitArchive(job, "ARCHIVED");
    assertThat(archive.getInteger("sessions")).isEqualTo(3);
    String key = "sessions/repo-archive/" + job + ".jsonl.gz";
    List<JsonNode> lines = read(key);
    assertThat(lines)
        .extracting(l -> UUID.fromString(l.path("id").asText()))
        .containsExactlyInAnyOrderElementsOf(sessions);
    JsonNode first =
        lines.stream()
            .filter(l -> l.path("id").asText().equals(sessions.getFirst().toString()))
            .findFirst()
            .orElseThrow();
    assertThat(first.path("jobId").asText()).isEqualTo(job.toString());
    assertThat(first.path("pagePath").asText()).isEqualTo("api/page-0.md");
    assertThat(first.path("input").path("symbols").get(0).asText()).isEqualTo("Ledger");
    assertThat(first.path("output").asText()).isEqualTo("# Page 0");
    assertThat(first.path("promptTokens").asInt()).isEqualTo(100);
    assertThat(archived(job)).containsExactlyInAnyOrderElementsOf(sessions);
  }

  @Test
  void withTheStoreDownTheSessionsStayUnarchivedUntilItIsBack() throws Exception {
    UUID job = UUID.randomUUID();
    List<UUID> sessions = sessions(job, 2);
    LocalStackResource.stack().stopS3();
    try {
      try (KafkaProbe kafka = Neighbours.probe()) {
        Neighbours.publish(kafka, ended(job, "repo-outage"));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> archive(job) != null && archive(job).getInteger("attempts") >= 2);
      Row failing = archive(job);
      assertThat(failing.getString("status")).isEqualTo("PENDING");
      assertThat(failing.getString("last_error")).isNotBlank();
      assertThat(archived(job)).isEmpty();
    } finally {
      LocalStackResource.stack().startS3();
    }
    awaitArchive(job, "ARCHIVED");
    assertThat(archived(job)).containsExactlyInAnyOrderElementsOf(sessions);
    assertThat(read("sessions/repo-outage/" + job + ".jsonl.gz")).hasSize(2);
  }

  @Test
  void sessionsWrittenAfterTheArchiveGoToASecondObject() throws Exception {
    UUID job = UUID.randomUUID();
    sessions(job, 1);
    try (KafkaProbe kafka = Neighbours.probe()) {
      Neighbours.publish(kafka, ended(job, "repo-late"));
    }
    awaitArchive(job, "ARCHIVED");
    // A worker that had lost its claim wrote one more session after the job ended.
    List<UUID> late = sessions(job, 1);
    pool.preparedQuery(
            "update reconciler.session_archive set status = 'PENDING', due_at = now() where job_id = $1")
        .execute(Tuple.of(job))
        .await()
        .indefinitely();
    await().atMost(Duration.ofSeconds(30)).until(() -> archive(job).getInteger("objects") == 2);
    assertThat(read("sessions/repo-late/" + job + ".2.jsonl.gz"))
        .extracting(l -> UUID.fromString(l.path("id").asText()))
        .containsExactlyElementsOf(late);
    assertThat(archived(job)).hasSize(2);
  }

  private List<UUID> sessions(UUID job, int count) {
    var ids = new ArrayList<UUID>();
    for (int i = 0; i < count; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      pool.preparedQuery(
              "insert into worker.agent_session (id, job_id, scope_path, page_path, agent, status,"
                  + " input, output, prompt_tokens, completion_tokens, finished_at) values ($1, $2,"
                  + " 'api', $3, 'static', 'SUCCEEDED', '{\"symbols\":[\"Ledger\"]}'::jsonb, $4,"
                  + " 100, 40, now())")
          .execute(Tuple.of(id, job, "api/page-" + i + ".md", "# Page " + i))
          .await()
          .indefinitely();
    }
    return ids;
  }

  private List<JsonNode> read(String key) throws Exception {
    byte[] bytes = store.get(key);
    var lines = new ArrayList<JsonNode>();
    try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        lines.add(EventCodec.json().readTree(line));
      }
    }
    return lines;
  }

  private Row awaitArchive(UUID job, String status) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> archive(job) != null && status.equals(archive(job).getString("status")));
    return archive(job);
  }

  private Row archive(UUID job) {
    var rows =
        pool.preparedQuery(
                "select status, attempts, last_error, objects, sessions from"
                    + " reconciler.session_archive where job_id = $1")
            .execute(Tuple.of(job))
            .await()
            .indefinitely();
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  private List<UUID> archived(UUID job) {
    var ids = new ArrayList<UUID>();
    pool.preparedQuery("select session_id from reconciler.archived_session where job_id = $1")
        .execute(Tuple.of(job))
        .await()
        .indefinitely()
        .forEach(r -> ids.add(r.getUUID("session_id")));
    return ids;
  }

  private static JobCompleted ended(UUID job, String repositoryId) {
    return new JobCompleted(
        UUID.randomUUID(),
        job,
        Instant.now(),
        AutodocEvent.SCHEMA_VERSION,
        repositoryId,
        "file:///srv/repo",
        JobStatus.FAILED,
        null,
        null,
        List.of(),
        null,
        null,
        null);
  }
}
