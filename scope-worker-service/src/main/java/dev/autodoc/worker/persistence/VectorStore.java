package dev.autodoc.worker.persistence;

import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.support.embedding.Embedder;
import dev.autodoc.worker.docs.embeddings.Chunk;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Chunk vectors kept by content ({@code worker.chunk_vector}): one per text, model and model
 * version, whichever page, scope, repository or job holds the text. The model only runs for texts
 * no vector is stored for, so a forced run of unchanged code embeds nothing and an incremental run
 * embeds only new text. Vectors are stored batch by batch as they are made, each its own statement:
 * they are facts about a text, so a scope that fails later leaves them for its retry.
 */
@ApplicationScoped
public class VectorStore {
  static final int BATCH = 32;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final String INSERT_VECTOR =
      "insert into worker.chunk_vector (model, model_version, digest, embedding)"
          + " values ($1, $2, $3, $4) on conflict do nothing";

  private final Pool pool;
  private final Counter embedded;
  private final Counter reused;

  VectorStore(Pool pool, MeterRegistry registry) {
    this.pool = pool;
    this.embedded =
        registry.counter(MetricNames.EMBEDDING_TEXTS, MetricNames.TAG_OUTCOME, "embedded");
    this.reused = registry.counter(MetricNames.EMBEDDING_TEXTS, MetricNames.TAG_OUTCOME, "reused");
  }

  /** What making sure of a run's vectors took: distinct texts embedded and found stored. */
  public record Outcome(int embedded, int reused) {}

  /**
   * Makes sure every chunk's text has a vector of {@code embedder}'s model and version stored,
   * running the model only for texts that have none. Stops between batches once {@code cancelled}
   * says so.
   */
  public Outcome ensure(Embedder embedder, List<Chunk> chunks, BooleanSupplier cancelled) {
    Map<ByteBuffer, String> texts = byDigest(chunks);
    Set<ByteBuffer> missing = missing(embedder, texts.keySet());
    List<Map.Entry<ByteBuffer, String>> todo =
        texts.entrySet().stream().filter(e -> missing.contains(e.getKey())).toList();
    for (int from = 0; from < todo.size() && !cancelled.getAsBoolean(); from += BATCH) {
      var batch = todo.subList(from, Math.min(todo.size(), from + BATCH));
      List<float[]> vectors = embedder.embed(batch.stream().map(Map.Entry::getValue).toList());
      store(embedder, batch, vectors);
      embedded.increment(batch.size());
    }
    reused.increment(texts.size() - todo.size());
    return new Outcome(todo.size(), texts.size() - todo.size());
  }

  /** The distinct texts of the chunks, by digest, in order. */
  private static Map<ByteBuffer, String> byDigest(List<Chunk> chunks) {
    Map<ByteBuffer, String> texts = new LinkedHashMap<>();
    for (Chunk chunk : chunks) {
      texts.putIfAbsent(ByteBuffer.wrap(chunk.digest()), chunk.text());
    }
    return texts;
  }

  private Set<ByteBuffer> missing(Embedder embedder, Set<ByteBuffer> digests) {
    if (digests.isEmpty()) {
      return Set.of();
    }
    Buffer[] keys = digests.stream().map(VectorStore::buffer).toArray(Buffer[]::new);
    return pool
        .preparedQuery(
            "select d from unnest($3::bytea[]) as t(d) where not exists (select 1 from"
                + " worker.chunk_vector v where v.model = $1 and v.model_version = $2 and v.digest = t.d)")
        .execute(Tuple.of(embedder.model(), embedder.version(), keys))
        .await()
        .atMost(TIMEOUT)
        .stream()
        .map(r -> ByteBuffer.wrap(r.getBuffer("d").getBytes()))
        .collect(Collectors.toSet());
  }

  private void store(
      Embedder embedder, List<Map.Entry<ByteBuffer, String>> batch, List<float[]> vectors) {
    pool.preparedQuery(INSERT_VECTOR)
        .executeBatch(vectorRows(embedder, batch, vectors))
        .await()
        .atMost(TIMEOUT);
  }

  private static List<Tuple> vectorRows(
      Embedder embedder, List<Map.Entry<ByteBuffer, String>> batch, List<float[]> vectors) {
    List<Tuple> rows = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      float[] v = vectors.get(i);
      Float[] boxed = new Float[v.length];
      for (int j = 0; j < v.length; j++) {
        boxed[j] = v[j];
      }
      rows.add(
          Tuple.of(embedder.model(), embedder.version(), buffer(batch.get(i).getKey()), boxed));
    }
    return rows;
  }

  /**
   * Queues, in the caller's transaction, the texts of {@code chunks} that have no vector of {@code
   * embedder}'s model and version yet, for the indexer ({@link #indexBatch}).
   */
  public Uni<Void> queueMissing(SqlConnection tx, Embedder embedder, List<Chunk> chunks) {
    Map<ByteBuffer, String> texts = byDigest(chunks);
    if (texts.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    Buffer[] digests = texts.keySet().stream().map(VectorStore::buffer).toArray(Buffer[]::new);
    String[] bodies = texts.values().toArray(String[]::new);
    // One statement over arrays, as the scope's chunks are stored (ScopeRunRepository#storeChunks).
    return tx.preparedQuery(
            "insert into worker.index_queue (model, model_version, digest, text)"
                + " select $1, $2, t.digest, t.text from unnest($3::bytea[], $4::text[]) as t(digest, text)"
                + " where not exists (select 1 from worker.chunk_vector v"
                + " where v.model = $1 and v.model_version = $2 and v.digest = t.digest)"
                + " on conflict do nothing")
        .execute(Tuple.of(embedder.model(), embedder.version(), digests, bodies))
        .replaceWithVoid();
  }

  /**
   * Makes the vectors of up to one batch of queued texts and takes them off the queue, in one
   * transaction: the rows are locked ({@code skip locked}, so the indexers of several workers share
   * the queue), and a worker that dies midway leaves them queued. Blocking; how many it made.
   */
  public int indexBatch(Embedder embedder) {
    SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
    try {
      var tx = connection.begin().await().atMost(TIMEOUT);
      try {
        List<Map.Entry<ByteBuffer, String>> batch = new ArrayList<>();
        connection
            .preparedQuery(
                "select digest, text from worker.index_queue where model = $1"
                    + " and model_version = $2 order by queued_at limit $3 for update skip locked")
            .execute(Tuple.of(embedder.model(), embedder.version(), BATCH))
            .await()
            .atMost(TIMEOUT)
            .forEach(
                r ->
                    batch.add(
                        Map.entry(
                            ByteBuffer.wrap(r.getBuffer("digest").getBytes()),
                            r.getString("text"))));
        if (batch.isEmpty()) {
          tx.rollback().await().atMost(TIMEOUT);
          return 0;
        }
        List<float[]> vectors = embedder.embed(batch.stream().map(Map.Entry::getValue).toList());
        connection
            .preparedQuery(INSERT_VECTOR)
            .executeBatch(vectorRows(embedder, batch, vectors))
            .await()
            .atMost(TIMEOUT);
        connection
            .preparedQuery(
                "delete from worker.index_queue where model = $1 and model_version = $2"
                    + " and digest = any($3::bytea[])")
            .execute(
                Tuple.of(
                    embedder.model(),
                    embedder.version(),
                    batch.stream().map(e -> buffer(e.getKey())).toArray(Buffer[]::new)))
            .await()
            .atMost(TIMEOUT);
        tx.commit().await().atMost(TIMEOUT);
        embedded.increment(batch.size());
        return batch.size();
      } catch (RuntimeException e) {
        tx.rollback().await().atMost(TIMEOUT);
        throw e;
      }
    } finally {
      connection.close().await().atMost(TIMEOUT);
    }
  }

  private static Buffer buffer(ByteBuffer digest) {
    return Buffer.buffer(digest.array());
  }
}
