package dev.autodoc.worker;

import static dev.autodoc.worker.WorkerProbe.awaitIndexed;
import static dev.autodoc.worker.WorkerProbe.awaitOutcomes;
import static dev.autodoc.worker.WorkerProbe.db;
import static dev.autodoc.worker.WorkerProbe.endpoints;
import static dev.autodoc.worker.WorkerProbe.publish;
import static dev.autodoc.worker.WorkerProbe.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.event.ScopeCompleted;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.messaging.Topics;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.local.stack.LocalStackResource;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.local.testing.KafkaProbe;
import dev.autodoc.support.embedding.Embedder;
import dev.autodoc.worker.docs.embeddings.Chunk;
import dev.autodoc.worker.persistence.VectorStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Chunk vectors are kept by text, model and version: nothing is embedded twice. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class EmbeddingReuseIT {
  @Inject MeterRegistry registry;
  @Inject VectorStore vectors;
  @Inject Embedder embedder;

  private KafkaProbe kafka;
  private GitFixture repo;
  private String sha;

  @BeforeEach
  void setUp() {
    kafka = new KafkaProbe(endpoints().kafkaBootstrapServers(), Topics.all());
    repo =
        GitFixture.create(
            Path.of(System.getProperty("autodoc.build.dir", "target"), "repos"), "reuse");
    sha =
        repo.writeAll(
                Map.of(
                    "lib/.autodoc.yaml", "",
                    "lib/Shapes.java",
                        "package lib;\n\n/** Shapes with an area. */\npublic interface Shapes {\n"
                            + "  /** The area, in square units. */\n  double area();\n}\n",
                    "lib/Circle.java",
                        "package lib;\n\n/** A round shape. */\npublic record Circle(double r)"
                            + " implements Shapes {\n  public double area() {\n"
                            + "    return Math.PI * r * r;\n  }\n}\n"))
            .commit("code");
  }

  @AfterEach
  void tearDown() {
    kafka.close();
    repo.close();
  }

  @Test
  void aForcedRunAndAnotherRepositoryWithTheSameTextEmbedAndParseNothing() throws Exception {
    double embeddedBefore = count("embedded");
    ScopeRequested first = request("reuse-repo");
    run(first);
    // The scope is done before its text is embedded: the indexer makes the vectors afterwards.
    awaitIndexed(first);
    double embeddedByFirst = count("embedded") - embeddedBefore;
    assertThat(embeddedByFirst).isPositive();

    // The same commit again in full (a forced run: no baseline), then the same files as another
    // repository: every text is found embedded, nothing is queued, the model does not run.
    // Nor are the files parsed again: the same content at the same path reads the same.
    double parsedBefore = parsed("parsed");
    double reusedBefore = parsed("reused");
    ScopeRequested forced = request("reuse-repo");
    run(forced);
    ScopeRequested other = request("reuse-copy");
    run(other);
    assertThat(parsed("parsed") - parsedBefore).isZero();
    assertThat(parsed("reused") - reusedBefore).isEqualTo(2 * 2); // two Java files, two runs
    try (Connection db = db()) {
      assertThat(queued(db)).isZero();
    }
    assertThat(count("embedded") - embeddedBefore).isEqualTo(embeddedByFirst);

    try (Connection db = db()) {
      for (ScopeRequested request : List.of(first, forced, other)) {
        // Every chunk finds its vector, and all three runs name the same ones.
        assertThat(
                query(
                    db,
                    "select count(*) = count(v.digest) and count(*) > 0 from worker.chunk c"
                        + " left join worker.chunk_vector v on v.model = c.model"
                        + " and v.model_version = c.model_version and v.digest = c.digest"
                        + " where c.job_id = ?",
                    request.jobId()))
            .containsExactly("t");
        assertThat(digests(db, request)).isEqualTo(digests(db, first));
      }
    }
  }

  @Test
  void aNewModelVersionEmbedsEveryTextAgainAndKeepsTheOldVectors() throws Exception {
    List<Chunk> chunks =
        List.of(
            new Chunk("a.md", 0, "A", "Circles are round " + UUID.randomUUID(), 6),
            new Chunk("b.md", 0, "B", "Squares have corners " + UUID.randomUUID(), 6),
            new Chunk("c.md", 0, "C", "Circles are round " + UUID.randomUUID(), 6));
    var first = vectors.ensure(embedder, chunks, () -> false);
    assertThat(first.embedded()).isEqualTo(3);
    assertThat(vectors.ensure(embedder, chunks, () -> false))
        .isEqualTo(new VectorStore.Outcome(0, 3));

    Embedder next = new NextVersion(embedder);
    assertThat(vectors.ensure(next, chunks, () -> false)).isEqualTo(new VectorStore.Outcome(3, 0));
    // Two chunks with one text are embedded once.
    var twice = new Chunk("d.md", 1, "D", chunks.get(0).text(), 6);
    assertThat(vectors.ensure(next, List.of(twice, chunks.get(0)), () -> false))
        .isEqualTo(new VectorStore.Outcome(0, 1));
    try (Connection db = db();
        var st =
            db.prepareStatement(
                "select model_version from worker.chunk_vector where digest = ? order by 1")) {
      st.setBytes(1, chunks.get(1).digest());
      var rs = st.executeQuery();
      var versions = new java.util.ArrayList<String>();
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
      assertThat(versions)
          .containsExactly(embedder.version(), next.version())
          .doesNotHaveDuplicates();
    }
  }

  /** The same model under a later version, as after an upgrade of the artifact shipping it. */
  private record NextVersion(Embedder current) implements Embedder {
    @Override
    public String model() {
      return current.model();
    }

    @Override
    public String version() {
      return current.version() + "-next";
    }

    @Override
    public int dimensions() {
      return current.dimensions();
    }

    @Override
    public int maxTokens() {
      return current.maxTokens();
    }

    @Override
    public int countTokens(String text) {
      return current.countTokens(text);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      return current.embed(texts);
    }
  }

  private void run(ScopeRequested request) {
    publish(kafka, request);
    assertThat(awaitOutcomes(kafka, request, 1).getFirst()).isInstanceOf(ScopeCompleted.class);
  }

  private static long queued(Connection db) throws Exception {
    try (var rs = db.createStatement().executeQuery("select count(*) from worker.index_queue")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private double parsed(String outcome) {
    var counter =
        registry.find(MetricNames.PARSED_FILES).tag(MetricNames.TAG_OUTCOME, outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private double count(String outcome) {
    var counter =
        registry.find(MetricNames.EMBEDDING_TEXTS).tag(MetricNames.TAG_OUTCOME, outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private static List<String> digests(Connection db, ScopeRequested request) throws Exception {
    return query(
        db,
        "select encode(digest, 'hex') from worker.chunk where job_id = ? order by page_path, ordinal",
        request.jobId());
  }

  private ScopeRequested request(String repositoryId) {
    return new ScopeRequested(
        UUID.randomUUID(),
        UUID.randomUUID(),
        Instant.now(),
        1,
        repositoryId,
        repo.dir().toUri().toString(),
        sha,
        "lib",
        ScopeConfig.defaults("lib"),
        List.of(),
        1);
  }
}
