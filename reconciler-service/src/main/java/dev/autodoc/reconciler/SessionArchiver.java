package dev.autodoc.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.messaging.Failures;
import dev.autodoc.support.retry.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jboss.logging.Logger;

/**
 * Archives the agent sessions of ended jobs to S3: gzip-compressed JSON Lines, one session per
 * line, under {@code <prefix>/<repository id>/<job id>.jsonl.gz} (sessions a late worker wrote
 * after that go to {@code <job id>.2.jsonl.gz} and so on). The object is read back and its bytes
 * and session ids compared with what was written; only then are the sessions recorded as archived,
 * and the workers, who own the sessions, delete exactly those. When the store cannot be reached the
 * archive stays due and is tried again with backoff; nothing unarchived is ever deleted.
 */
@ApplicationScoped
public class SessionArchiver {
  private static final Logger LOG = Logger.getLogger(SessionArchiver.class);
  static final String CONTENT_TYPE = "application/x-ndjson";
  private static final int PAGE = 500;

  private final Pool pool;
  private final ObjectStore store;
  private final ReconcilerConfig.Archive config;
  private final MeterRegistry registry;
  private final AtomicBoolean running = new AtomicBoolean();

  SessionArchiver(Pool pool, ObjectStore store, ReconcilerConfig config, MeterRegistry registry) {
    this.pool = pool;
    this.store = store;
    this.config = config.archive();
    this.registry = registry;
    // Registered at zero, so dashboards and alerts see the series before the first failure.
    registry.counter(MetricNames.SESSION_ARCHIVE_FAILURES);
  }

  /** Marks the job's sessions for archiving; called in the transaction that records its end. */
  static Uni<Void> due(SqlConnection tx, UUID jobId, String repositoryId) {
    return tx.preparedQuery(
            "insert into reconciler.session_archive (job_id, repository_id) values ($1, $2)"
                + " on conflict do nothing")
        .execute(Tuple.of(jobId, repositoryId))
        .replaceWithVoid();
  }

  @Scheduled(
      every = "${autodoc.reconciler.archive.interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void tick() {
    archiveDue();
  }

  /** Archives what is due, off the caller's thread; a pass already running makes this a no-op. */
  public void wake() {
    Infrastructure.getDefaultWorkerPool().execute(this::archiveDue);
  }

  /** Blocking: archives every due job this replica can claim; returns how many it archived. */
  public int archiveDue() {
    if (!running.compareAndSet(false, true)) {
      return 0;
    }
    try {
      int archived = 0;
      for (Claimed job : claim()) {
        if (archive(job)) {
          archived++;
        }
      }
      return archived;
    } catch (RuntimeException e) {
      if (!Failures.isUndefinedTable(e)) {
        LOG.warnf("archiving sessions: %s", Failures.describe(e));
      }
      return 0;
    } finally {
      running.set(false);
    }
  }

  record Claimed(UUID jobId, String repositoryId, int objects, int attempts) {}

  private List<Claimed> claim() {
    return pool.preparedQuery(
            "update reconciler.session_archive set claimed_until = now() + make_interval(secs => $1)"
                + " where job_id in (select job_id from reconciler.session_archive"
                + " where status = 'PENDING' and due_at <= now()"
                + " and (claimed_until is null or claimed_until < now())"
                + " order by due_at limit 20 for update skip locked)"
                + " returning job_id, repository_id, objects, attempts")
        .execute(Tuple.of(config.lease().toMillis() / 1000.0))
        .map(
            rows -> {
              var claimed = new ArrayList<Claimed>();
              for (Row r : rows) {
                claimed.add(
                    new Claimed(
                        r.getUUID("job_id"),
                        r.getString("repository_id"),
                        r.getInteger("objects"),
                        r.getInteger("attempts")));
              }
              return List.copyOf(claimed);
            })
        .await()
        .atMost(Duration.ofSeconds(30));
  }

  /** One job: write, read back, verify, record. False when it has to be tried again later. */
  private boolean archive(Claimed job) {
    String key = null;
    try {
      List<Row> sessions = unarchived(job.jobId());
      if (sessions.isEmpty()) {
        finish(job, null, List.of(), 0);
        return true;
      }
      Set<UUID> ids = new LinkedHashSet<>();
      byte[] bytes = jsonLines(sessions, ids);
      key = key(job);
      store.put(key, bytes, CONTENT_TYPE);
      verify(key, bytes, ids);
      finish(job, key, List.copyOf(ids), bytes.length);
      registry.counter(MetricNames.SESSIONS_ARCHIVED).increment(ids.size());
      LOG.infof(
          "archived %d sessions of job %s to s3://%s/%s (%d bytes)",
          ids.size(), job.jobId(), store.bucket(), key, bytes.length);
      return true;
    } catch (RuntimeException e) {
      Duration wait =
          new Backoff(config.initialBackoff(), config.maxBackoff()).after(job.attempts() + 1);
      String why =
          (key == null ? "" : "s3://" + store.bucket() + "/" + key + ": ") + Failures.describe(e);
      LOG.warnf(
          "could not archive the sessions of job %s (attempt %d, next in %s): %s",
          job.jobId(), job.attempts() + 1, wait, why);
      registry.counter(MetricNames.SESSION_ARCHIVE_FAILURES).increment();
      pool.preparedQuery(
              "update reconciler.session_archive set attempts = attempts + 1, last_error = $2,"
                  + " claimed_until = null, due_at = now() + make_interval(secs => $3)"
                  + " where job_id = $1")
          .execute(Tuple.of(job.jobId(), why, wait.toMillis() / 1000.0))
          .await()
          .atMost(Duration.ofSeconds(30));
      return false;
    }
  }

  private String key(Claimed job) {
    String name =
        job.objects() == 0 ? job.jobId().toString() : job.jobId() + "." + (job.objects() + 1);
    return config.prefix() + "/" + job.repositoryId() + "/" + name + ".jsonl.gz";
  }

  private List<Row> unarchived(UUID jobId) {
    var all = new ArrayList<Row>();
    String after = "";
    while (true) {
      List<Row> page =
          pool.preparedQuery(
                  "select s.id, s.job_id, s.scope_path, s.page_path, s.agent, s.status,"
                      + " cast(s.input as text) as input, cast(s.steps as text) as steps, s.output,"
                      + " s.prompt_tokens, s.completion_tokens, s.started_at, s.finished_at"
                      + " from worker.agent_session s where s.job_id = $1"
                      + " and cast(s.id as text) > $2"
                      + " and not exists (select 1 from reconciler.archived_session a"
                      + " where a.session_id = s.id) order by cast(s.id as text) limit $3")
              .execute(Tuple.of(jobId, after, PAGE))
              .map(
                  rows -> {
                    var list = new ArrayList<Row>();
                    rows.forEach(list::add);
                    return (List<Row>) list;
                  })
              .await()
              .atMost(Duration.ofSeconds(60));
      all.addAll(page);
      if (page.size() < PAGE) {
        return all;
      }
      after = page.getLast().getUUID("id").toString();
    }
  }

  private static byte[] jsonLines(List<Row> sessions, Set<UUID> ids) {
    ObjectMapper json = EventCodec.json();
    var out = new ByteArrayOutputStream();
    try (var gzip = new GZIPOutputStream(out)) {
      for (Row r : sessions) {
        ObjectNode line = json.createObjectNode();
        UUID id = r.getUUID("id");
        ids.add(id);
        line.put("id", id.toString());
        line.put("jobId", r.getUUID("job_id").toString());
        line.put("scopePath", r.getString("scope_path"));
        line.put("pagePath", r.getString("page_path"));
        line.put("agent", r.getString("agent"));
        line.put("status", r.getString("status"));
        line.set("input", json.readTree(r.getString("input")));
        line.set("steps", json.readTree(r.getString("steps")));
        line.put("output", r.getString("output"));
        line.put("promptTokens", r.getInteger("prompt_tokens"));
        line.put("completionTokens", r.getInteger("completion_tokens"));
        line.put("startedAt", String.valueOf(r.getOffsetDateTime("started_at")));
        var finished = r.getOffsetDateTime("finished_at");
        line.put("finishedAt", finished == null ? null : finished.toString());
        gzip.write(json.writeValueAsBytes(line));
        gzip.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Reads the object back: the same bytes, and every session id on its own line. */
  private void verify(String key, byte[] written, Set<UUID> ids) {
    byte[] read = store.get(key);
    if (!MessageDigest.isEqual(sha256(read), sha256(written))) {
      throw new IllegalStateException(
          "read back " + read.length + " bytes, wrote " + written.length + ", and they differ");
    }
    Set<UUID> found = new HashSet<>();
    try (var in = new GZIPInputStream(new ByteArrayInputStream(read))) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          JsonNode session = EventCodec.json().readTree(line);
          found.add(UUID.fromString(session.path("id").asText()));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("the archive read back is not gzip JSON Lines", e);
    }
    if (!found.equals(ids)) {
      throw new IllegalStateException(
          "the archive read back holds "
              + found.size()
              + " sessions, "
              + ids.size()
              + " were written");
    }
  }

  private void finish(Claimed job, String key, List<UUID> ids, long bytes) {
    pool.withTransaction(
            tx -> {
              Uni<Void> index =
                  ids.isEmpty()
                      ? Uni.createFrom().voidItem()
                      : tx.preparedQuery(
                              "insert into reconciler.archived_session (session_id, job_id,"
                                  + " object_key) values ($1, $2, $3) on conflict do nothing")
                          .executeBatch(
                              ids.stream().map(id -> Tuple.of(id, job.jobId(), key)).toList())
                          .replaceWithVoid();
              return index.chain(
                  () ->
                      tx.preparedQuery(
                              "update reconciler.session_archive set status = 'ARCHIVED',"
                                  + " objects = objects + $2, sessions = sessions + $3,"
                                  + " bytes = bytes + $4, archived_at = now(), claimed_until = null,"
                                  + " last_error = null where job_id = $1")
                          .execute(
                              Tuple.of(job.jobId(), ids.isEmpty() ? 0 : 1, ids.size(), bytes)));
            })
        .await()
        .atMost(Duration.ofSeconds(30));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
