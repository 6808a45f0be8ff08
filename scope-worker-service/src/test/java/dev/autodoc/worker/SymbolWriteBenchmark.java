package dev.autodoc.worker;

import dev.autodoc.local.stack.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the trigram index on symbol names (V22, for {@code find_symbol}) costs a run that stores its
 * symbols: 100,000 rows (about a JDK-sized scope's declarations) stored in batches of 10,000 in one
 * transaction, as {@code SymbolStore} does, with the index and without it, alternately on the same
 * database, three times each: {@code ./mvnw -B -Pbench -pl scope-worker-service test
 * -Dtest=SymbolWriteBenchmark}. Prints the times and their ratio; asserts nothing.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class SymbolWriteBenchmark {
  private static final int ROWS = Integer.getInteger("bench.symbols", 100_000);
  private static final int BATCH = 10_000;
  private static final String[] VERBS = {"get", "set", "read", "write", "parse", "format", "is"};
  private static final String[] NOUNS = {"Value", "Name", "Option", "Buffer", "Entry", "Range"};

  @Test
  void storingSymbolsWithAndWithoutTheTrigramIndex() throws Exception {
    try (Connection db = WorkerProbe.db()) {
      try (var st = db.createStatement();
          var rs =
              st.executeQuery(
                  "select string_agg(extname || ' in ' || extnamespace::regnamespace, ', ')"
                      + " || '; ' || (select string_agg(indexname, ', ') from pg_indexes"
                      + " where tablename = 'symbol') from pg_extension")) {
        rs.next();
        System.out.println("extensions; symbol indexes: " + rs.getString(1));
      }
      List<Long> with = new ArrayList<>();
      List<Long> without = new ArrayList<>();
      store(db); // warm-up: plans, caches, the table's first pages
      for (int round = 0; round < 6; round++) {
        boolean indexed = round % 2 == 0;
        indexes(db, indexed);
        long start = System.nanoTime();
        store(db);
        long millis = (System.nanoTime() - start) / 1_000_000;
        (indexed ? with : without).add(millis);
      }
      long a = median(with);
      long b = median(without);
      System.out.printf(
          "storing %,d symbols: with the trigram index %s ms (median %d), without %s ms (median"
              + " %d): %.2fx%n",
          ROWS, with, a, without, b, (double) a / b);
      indexes(db, true);
    }
  }

  private static void indexes(Connection db, boolean present) throws SQLException {
    try (var st = db.createStatement()) {
      if (present) {
        st.execute(
            "create index if not exists symbol_name_trgm on worker.symbol"
                + " using gin (lower(name) worker.gin_trgm_ops)");
      } else {
        st.execute("drop index if exists worker.symbol_name_trgm");
      }
      st.execute("vacuum analyze worker.symbol");
    }
  }

  /** One run's symbols, stored as SymbolStore stores them. */
  private static void store(Connection db) throws SQLException {
    UUID job = UUID.randomUUID();
    db.setAutoCommit(false);
    try (var st =
        db.prepareStatement(
            "insert into worker.symbol (job_id, scope_path, kind, name, qualified_name, signature,"
                + " exported, file, line, end_line, page_path, anchor)"
                + " select ?, 'jdk', k, n, q, s, true, f, l, l + 3, 'p.md', null"
                + " from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[])"
                + " as t(k, n, q, s, f, l)")) {
      for (int from = 0; from < ROWS; from += BATCH) {
        int n = Math.min(BATCH, ROWS - from);
        String[] kinds = new String[n];
        String[] names = new String[n];
        String[] qualified = new String[n];
        String[] signatures = new String[n];
        String[] files = new String[n];
        Integer[] lines = new Integer[n];
        for (int i = 0; i < n; i++) {
          int k = from + i;
          String type = NOUNS[k % NOUNS.length] + "Holder" + (k / 40);
          String name = VERBS[k % VERBS.length] + NOUNS[(k / 7) % NOUNS.length] + (k % 13);
          kinds[i] = "METHOD";
          names[i] = name;
          qualified[i] = "java.base.pkg" + (k / 4000) + "." + type + "." + name;
          signatures[i] = "public " + NOUNS[k % NOUNS.length] + " " + name + "()";
          files[i] = "java.base/pkg" + (k / 4000) + "/" + type + ".java";
          lines[i] = 10 + (k % 40) * 5;
        }
        st.setObject(1, job);
        st.setArray(2, db.createArrayOf("text", kinds));
        st.setArray(3, db.createArrayOf("text", names));
        st.setArray(4, db.createArrayOf("text", qualified));
        st.setArray(5, db.createArrayOf("text", signatures));
        st.setArray(6, db.createArrayOf("text", files));
        st.setArray(7, db.createArrayOf("int4", lines));
        st.executeUpdate();
      }
      db.commit();
    } finally {
      db.setAutoCommit(true);
    }
  }

  private static long median(List<Long> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }
}
