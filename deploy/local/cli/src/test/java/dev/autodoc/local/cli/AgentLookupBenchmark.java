package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.local.testing.GitFixture;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Latency of the agents' look-ups over a 10,000-page index, through the MCP endpoint as an agent
 * calls it: {@code ./mvnw -B install -DskipTests && ./mvnw -B -Pbench -pl deploy/local/cli verify
 * -Dit.test=AgentLookupBenchmark} ({@code -Dbench.lookup.pages} changes the size).
 *
 * <p>A real job documents published code in seven languages (some 80 pages, their chunks and
 * symbols); its scopes are then copied in the database, rows and plan alike, as further scopes of
 * the same job until the repository has the pages asked for, so that search and look-up read 10,000
 * pages' chunks and a proportionate symbol table the way they read a real one (vectors are shared
 * by content, as the index shares them). Prints p50 and p95 of {@code search_docs} and {@code
 * find_symbol} (exact and misspelt names), each also as a ratio to {@code read_page} of one page
 * measured in the same run: these machines are noisy, the ratios less so.
 */
class AgentLookupBenchmark {
  private static final int PAGES = Integer.getInteger("bench.lookup.pages", 10_000);
  private static final int CALLS = Integer.getInteger("bench.lookup.calls", 200);
  private static final List<String> QUERIES =
      List.of(
          "how to parse command line options",
          "compare two semantic versions",
          "schedule work after a delay",
          "create a parser for a language",
          "register a sub-command",
          "version requirement matching",
          "help text formatting width",
          "unsubscribe errors",
          "specifier set contains version",
          "embedding the CLR in node");
  private static final List<String> NAMES =
      List.of(
          "HelpFormatter",
          "Command",
          "VersionReq",
          "SpecifierSet",
          "AsyncScheduler",
          "ts_parser_new",
          "Option.hasArg",
          "ExactArgs",
          "CoreCLREmbedding",
          "parse");
  private static final List<String> MISSPELT =
      List.of(
          "HelpFormater",
          "Comand",
          "VersionRec",
          "SpecifierSett",
          "AsyncSchedular",
          "ts_parser_neww",
          "hasArgg",
          "ExactArg",
          "CoreClrEmbeding",
          "parsse");

  @Test
  void searchAndSymbolLookUpOverTenThousandPages() throws Exception {
    Path dataDir = CliTesting.newDataDir("bench-lookup");
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    try (GitFixture repo = CliTesting.repository("lookup");
        LocalDeployment deployment =
            LocalDeployment.start(
                project, dataDir, LocalDeployment.ServiceOptions.DEFAULT, m -> {})) {
      CliTesting.sevenLanguages(repo);
      // Three large Java libraries too: the recall of search is measured on their real text.
      Path code = Path.of(System.getProperty("bench.code", "target/bench-code"));
      for (String library : List.of("guava", "jgit", "jackson-core")) {
        CliTesting.scope(repo, library, code.resolve(library), p -> p.endsWith(".java"));
      }
      repo.commit("three Java libraries");
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      String jobId = api.submit(Map.of("repository", repo.url())).body().path("id").asText();
      long started = System.nanoTime();
      var job = CliTesting.awaitEnded(api, jobId, Duration.ofMinutes(20));
      assertThat(job.path("status").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
      String repositoryId = job.path("repository").path("id").asText();
      System.out.printf(Locale.ROOT, "documented in %.1f s%n", (System.nanoTime() - started) / 1e9);
      CliTesting.awaitIndexed(api, repositoryId, Duration.ofMinutes(30));
      System.out.printf(
          Locale.ROOT, "documented and indexed in %.1f s%n", (System.nanoTime() - started) / 1e9);

      var endpoints = deployment.stack().endpoints();
      long pages;
      long chunks;
      long symbols;
      try (Connection db =
          DriverManager.getConnection(
              endpoints.jdbcUrl(), endpoints.postgresUser(), endpoints.postgresPassword())) {
        long distinct = count(db, "worker.chunk", jobId);
        // The first stage keeps 1,000 of a 10,000-page index's chunks; the same share of this
        // index's real chunks shows what it keeps at that scale.
        int scaled = (int) Math.max(5, Math.round(1000.0 * distinct / 131_610));
        for (int candidates : new int[] {scaled, 2 * scaled, 1000}) {
          System.out.printf(
              Locale.ROOT,
              "search's first stage, %d candidates of %d real chunks: %.1f %% of the exact top 5"
                  + " kept (50 chunks' vectors as queries)%n",
              candidates,
              distinct,
              100 * recall(db, repositoryId, 50, candidates));
        }
        long real = count(db, "worker.page", jobId);
        int copies = (int) Math.ceil((double) PAGES / real) - 1;
        grow(db, UUID.fromString(jobId), copies);
        pages = count(db, "worker.page", jobId);
        chunks = count(db, "worker.chunk", jobId);
        symbols = count(db, "worker.symbol", jobId);
        System.out.printf(
            Locale.ROOT,
            "index: %d pages, %d chunks, %d symbols (%d real pages, %d copies)%n",
            pages,
            chunks,
            symbols,
            real,
            copies);
      }
      assertThat(pages).isGreaterThanOrEqualTo(PAGES);
      try (McpSyncClient client = client(deployment)) {
        client.initialize();
        @SuppressWarnings("unchecked")
        var listed =
            (List<Map<String, Object>>)
                ((Map<String, Object>)
                        call(client, "list_repositories", Map.of()).structuredContent())
                    .get("repositories");
        assertThat(((Number) listed.getFirst().get("pages")).longValue()).isEqualTo(pages);
        String page = "java/docs/autodoc/index.md";
        double reference =
            measure(
                "read_page (reference)",
                client,
                i -> Map.of("repository", repositoryId, "path", page),
                "read_page",
                0);
        measure(
            "search_docs, one repository",
            client,
            i -> Map.of("repository", repositoryId, "query", QUERIES.get(i % QUERIES.size())),
            "search_docs",
            reference);
        measure(
            "search_docs, every repository",
            client,
            i -> Map.of("query", QUERIES.get(i % QUERIES.size())),
            "search_docs",
            reference);
        measure(
            "find_symbol, exact names",
            client,
            i -> Map.of("repository", repositoryId, "name", NAMES.get(i % NAMES.size())),
            "find_symbol",
            reference);
        measure(
            "find_symbol, misspelt names",
            client,
            i -> Map.of("repository", repositoryId, "name", MISSPELT.get(i % MISSPELT.size())),
            "find_symbol",
            reference);
      }
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  /** Calls a tool {@link #CALLS} times after a warm-up, prints p50 and p95; returns p50. */
  private static double measure(
      String what,
      McpSyncClient client,
      IntFunction<Map<String, Object>> arguments,
      String tool,
      double reference) {
    for (int i = 0; i < 20; i++) {
      call(client, tool, arguments.apply(i));
    }
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      long start = System.nanoTime();
      call(client, tool, arguments.apply(i));
      millis.add((System.nanoTime() - start) / 1e6);
    }
    millis.sort(Double::compare);
    double p50 = millis.get(millis.size() / 2);
    double p95 = millis.get((int) Math.ceil(millis.size() * 0.95) - 1);
    System.out.printf(
        Locale.ROOT,
        "%-30s p50 %7.1f ms  p95 %7.1f ms%s%n",
        what,
        p50,
        p95,
        reference > 0
            ? String.format(
                Locale.ROOT, "  (%.1fx, %.1fx read_page's p50)", p50 / reference, p95 / reference)
            : "");
    return p50;
  }

  private static McpSchema.CallToolResult call(
      McpSyncClient client, String tool, Map<String, Object> arguments) {
    var result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    assertThat(result.isError()).as(tool + ": " + result.content()).isNotEqualTo(Boolean.TRUE);
    return result;
  }

  private static McpSyncClient client(LocalDeployment deployment) {
    var transport =
        HttpClientStreamableHttpTransport.builder(deployment.apiUrl())
            .endpoint("/mcp")
            .requestBuilder(
                HttpRequest.newBuilder().header("Authorization", "Bearer " + deployment.apiKey()))
            .build();
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
  }

  private static long count(Connection db, String table, String jobId) throws Exception {
    try (var statement =
        db.prepareStatement("select count(*) from " + table + " where job_id = ?")) {
      statement.setObject(1, UUID.fromString(jobId));
      try (var rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /**
   * Copies every scope of the job {@code copies} times, as scopes named {@code <scope>-<n>}: the
   * scope rows, pages, chunks and symbols, and the job's plan, which decides the scopes a
   * repository still has.
   */
  private static void grow(Connection db, UUID job, int copies) throws Exception {
    db.setAutoCommit(false);
    // Each copy's chunks get vectors of their own (the same values under another digest), so the
    // index holds as many vectors as chunks, as a real one of 10,000 pages does.
    String digest = "digest || int4send(n)";
    copy(
        db,
        "worker",
        "chunk_vector",
        Map.of("digest", digest),
        "digest in (select digest from worker.chunk where job_id = ?)",
        job,
        copies);
    copy(
        db,
        "orchestrator",
        "job_scope",
        Map.of("path", "path || '-' || n"),
        "job_id = ?",
        job,
        copies);
    copy(
        db,
        "worker",
        "page",
        Map.of("scope_path", "scope_path || '-' || n"),
        "job_id = ?",
        job,
        copies);
    copy(
        db,
        "worker",
        "chunk",
        Map.of("scope_path", "scope_path || '-' || n", "digest", digest),
        "job_id = ?",
        job,
        copies);
    copy(
        db,
        "worker",
        "symbol",
        Map.of("scope_path", "scope_path || '-' || n"),
        "job_id = ?",
        job,
        copies);
    try (var plan =
        db.prepareStatement(
            "update orchestrator.job set plan = jsonb_set(plan, '{scopes}', (plan->'scopes')"
                + " || (select jsonb_agg(jsonb_set(s, '{scope}', to_jsonb((s->>'scope') || '-' || c)))"
                + " from jsonb_array_elements(plan->'scopes') s, generate_series(1, ?) c))"
                + " where id = ?")) {
      plan.setInt(1, copies);
      plan.setObject(2, job);
      assertThat(plan.executeUpdate()).isEqualTo(1);
    }
    db.commit();
    db.setAutoCommit(true);
    try (var analyze = db.createStatement()) {
      analyze.execute("analyze");
    }
  }

  /** Copies the rows {@code where} picks {@code copies} times, some columns made anew. */
  private static void copy(
      Connection db,
      String schema,
      String table,
      Map<String, String> made,
      String where,
      UUID job,
      int copies)
      throws Exception {
    List<String> columns = new ArrayList<>();
    try (var query =
        db.prepareStatement(
            "select column_name from information_schema.columns where table_schema = ?"
                + " and table_name = ? and is_generated = 'NEVER' order by ordinal_position")) {
      query.setString(1, schema);
      query.setString(2, table);
      try (var rows = query.executeQuery()) {
        while (rows.next()) {
          columns.add(rows.getString(1));
        }
      }
    }
    String values = String.join(", ", columns.stream().map(c -> made.getOrDefault(c, c)).toList());
    try (var insert =
        db.prepareStatement(
            "insert into %s.%s (%s) select %s from %s.%s, generate_series(1, ?) n where %s"
                .formatted(
                    schema, table, String.join(", ", columns), values, schema, table, where))) {
      insert.setInt(1, copies);
      insert.setObject(2, job);
      insert.executeUpdate();
    }
  }

  /**
   * How often the exact top 5 by the dot product survive the first, sign-bit stage of search, on
   * the repository's real vectors: for 50 of its chunks' vectors as queries (the chunk itself left
   * out), the share of the exhaustive top 5 scores that the best 5 of the {@code candidates}
   * nearest by Hamming distance hold (scores, not chunks: equal texts tie). Computed here from the
   * stored vectors, as search computes it in the database.
   */
  private static double recall(Connection db, String repositoryId, int queries, int candidates)
      throws Exception {
    List<float[]> vectors = new ArrayList<>();
    try (var statement =
        db.prepareStatement(
            "select v.embedding from worker.chunk c join orchestrator.job_scope s"
                + " on s.job_id = c.job_id and s.path = c.scope_path"
                + " join orchestrator.job j on j.id = s.job_id"
                + " join worker.chunk_vector v on v.model = c.model"
                + " and v.model_version = c.model_version and v.digest = c.digest"
                + " where j.repository_id = ? order by c.scope_path, c.page_path, c.ordinal")) {
      statement.setString(1, repositoryId);
      try (var rows = statement.executeQuery()) {
        while (rows.next()) {
          Float[] boxed = (Float[]) rows.getArray(1).getArray();
          float[] v = new float[boxed.length];
          for (int i = 0; i < v.length; i++) {
            v[i] = boxed[i];
          }
          vectors.add(v);
        }
      }
    }
    double found = 0;
    for (int q = 0; q < queries; q++) {
      int self = (int) ((long) q * vectors.size() / queries);
      float[] query = vectors.get(self);
      int n = vectors.size();
      double[] scores = new double[n];
      int[] bits = new int[n];
      List<Integer> others = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (i == self) {
          continue;
        }
        float[] v = vectors.get(i);
        double dot = 0;
        int differ = 0;
        for (int d = 0; d < v.length; d++) {
          dot += v[d] * query[d];
          if ((v[d] > 0) != (query[d] > 0)) {
            differ++;
          }
        }
        scores[i] = Math.round(dot * 10000) / 10000.0;
        bits[i] = differ;
        others.add(i);
      }
      List<Double> exact =
          others.stream().map(i -> scores[i]).sorted(Comparator.reverseOrder()).limit(5).toList();
      List<Double> staged =
          new ArrayList<>(
              others.stream()
                  .sorted(Comparator.comparingInt(i -> bits[i]))
                  .limit(candidates)
                  .map(i -> scores[i])
                  .sorted(Comparator.reverseOrder())
                  .limit(5)
                  .toList());
      for (Double score : exact) {
        if (staged.remove(score)) {
          found++;
        }
      }
    }
    return found / (queries * 5.0);
  }
}
