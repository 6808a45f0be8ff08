package dev.autodoc.orchestrator.repository;

import dev.autodoc.common.symbol.SymbolKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Look-up of a repository's types, functions, members and modules by name, over the symbols the
 * latest successful run of each scope stored (so an incremental run's changes show at once). Names
 * match, case aside, in this order: exactly (the simple name, the qualified name, or a tail of it
 * such as {@code Options.addOption}), as a prefix, as a part (of the simple name; a dotted query's
 * last part, its whole held by the qualified name), and, only when those leave room, within a few
 * edits ({@link #allowedEdits}) for a name half remembered or misspelt. Within a kind of match,
 * exported symbols and shorter names come first.
 */
@ApplicationScoped
public class SymbolIndex {
  private static final String LATEST = dev.autodoc.orchestrator.plan.PreviousRuns.LATEST;

  private final Pool pool;

  SymbolIndex(Pool pool) {
    this.pool = pool;
  }

  /** How a symbol's name matched the query. */
  public enum Match {
    EXACT,
    PREFIX,
    SUBSTRING,
    NEAR
  }

  /**
   * A symbol: what it is, where its code is (repository paths; lines are absent for a module) and
   * where its documentation is (page, and the heading's anchor when the page has one for it).
   */
  public record Found(
      String name,
      String qualifiedName,
      String kind,
      String signature,
      String scope,
      String file,
      Integer line,
      Integer endLine,
      String page,
      String anchor,
      String commit,
      Match match) {}

  private static final String COLUMNS =
      " select s.kind, s.name, s.qualified_name, s.signature, s.exported, s.file, s.line,"
          + " s.end_line, s.page_path, s.anchor, l.path as scope, l.commit_sha"
          + " from worker.symbol s join latest l on s.job_id = l.job_id and s.scope_path = l.path";

  /** At most {@code limit} symbols matching {@code query}, of one kind when {@code kind} is set. */
  public Uni<List<Found>> find(String repositoryId, String query, String kind, int limit) {
    String q = query.strip().toLowerCase(Locale.ROOT);
    return pool.preparedQuery(
            LATEST
                + ", ranked as ("
                + COLUMNS
                + " where lower(s.name) like $5 and ($6::text is null or lower(s.qualified_name) like $6)"
                + " and ($3::text is null or s.kind = $3))"
                + " select *, case when lower(name) = $2 or lower(qualified_name) = $2"
                + " or right(lower(qualified_name), length($2) + 1) = '.' || $2 then 0"
                + " when left(lower(name), length($2)) = $2 then 1 else 2 end as rank"
                + " from ranked order by rank, exported desc, length(name), qualified_name, file"
                + " limit $4")
        .execute(
            Tuple.from(
                new Object[] {
                  repositoryId,
                  q,
                  kind,
                  limit,
                  "%" + likeLiteral(q.substring(q.lastIndexOf('.') + 1)) + "%",
                  q.contains(".") ? "%" + likeLiteral(q) + "%" : null
                }))
        .map(
            rows -> {
              List<Found> found = new ArrayList<>();
              rows.forEach(r -> found.add(found(r, Match.values()[r.getInteger("rank")])));
              return found;
            })
        .chain(
            found ->
                found.size() >= limit
                    ? Uni.createFrom().item(found)
                    : near(repositoryId, q, kind, limit - found.size())
                        .map(
                            more -> {
                              List<Found> all = new ArrayList<>(found);
                              all.addAll(more);
                              return all;
                            }))
        .onFailure(dev.autodoc.support.messaging.Failures::isUndefinedTable)
        .recoverWithItem(List.of());
  }

  /**
   * Those of {@code names} that name a symbol of the repository exactly, case and all, as the
   * quality loop's truthfulness check knows names: simple, qualified, or a tail of the qualified
   * name ({@code Ledger.book} for {@code ledger.Ledger.book}).
   */
  public Uni<Set<String>> known(String repositoryId, Collection<String> names) {
    if (names.isEmpty()) {
      return Uni.createFrom().item(Set.of());
    }
    return pool.preparedQuery(
            LATEST
                + " select q from unnest($2::text[]) as q where exists (select 1 from worker.symbol s"
                + " join latest l on s.job_id = l.job_id and s.scope_path = l.path"
                + " where s.name = q or s.qualified_name = q"
                + " or right(s.qualified_name, length(q) + 1) = '.' || q)")
        .execute(Tuple.of(repositoryId, names.stream().distinct().toArray(String[]::new)))
        .map(
            rows -> {
              Set<String> known = new HashSet<>();
              rows.forEach(r -> known.add(r.getString("q")));
              return (Set<String>) known;
            })
        .onFailure(dev.autodoc.support.messaging.Failures::isUndefinedTable)
        .recoverWithItem(Set.of());
  }

  /**
   * The query as LIKE reads it literally: its wildcards ({@code _} is common in names) escaped. A
   * LIKE pattern, unlike {@code strpos}, lets the trigram indexes (V22) find the candidates.
   */
  static String likeLiteral(String query) {
    return query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /**
   * Edits a name may be from the query and still be offered: one for short names, where two would
   * match almost anything, up to three for long ones.
   */
  static int allowedEdits(String query) {
    return Math.min(3, Math.max(1, query.length() / 4));
  }

  /**
   * Names within {@link #allowedEdits} of the query's last part (the database narrows them by
   * length; edit distance is computed here, as PostgreSQL has it only as an extension), then their
   * symbols, nearest first. Names that hold the query were matched already and are left out.
   */
  private Uni<List<Found>> near(String repositoryId, String q, String kind, int limit) {
    String name = q.substring(q.lastIndexOf('.') + 1);
    if (name.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    int edits = allowedEdits(name);
    var distance = new LevenshteinDistance(edits);
    return pool.preparedQuery(
            LATEST
                + " select distinct lower(s.name) as name from worker.symbol s join latest l"
                + " on s.job_id = l.job_id and s.scope_path = l.path"
                + " where length(s.name) between $2 and $3 and ($4::text is null or s.kind = $4)"
                + " and strpos(lower(s.name), $5) = 0")
        .execute(Tuple.of(repositoryId, name.length() - edits, name.length() + edits, kind, name))
        .chain(
            rows -> {
              Map<String, Integer> distances = new HashMap<>();
              rows.forEach(
                  r -> {
                    String candidate = r.getString("name");
                    int d = distance.apply(name, candidate);
                    if (d >= 0) {
                      distances.put(candidate, d);
                    }
                  });
              if (distances.isEmpty()) {
                return Uni.createFrom().item(List.<Found>of());
              }
              return pool.preparedQuery(
                      LATEST
                          + COLUMNS
                          + " where lower(s.name) = any($2) and ($3::text is null or s.kind = $3)")
                  .execute(Tuple.of(repositoryId, distances.keySet().toArray(String[]::new), kind))
                  .map(
                      symbols -> {
                        List<Row> all = new ArrayList<>();
                        symbols.forEach(all::add);
                        all.sort(
                            Comparator.comparingInt(
                                    (Row r) ->
                                        distances.get(r.getString("name").toLowerCase(Locale.ROOT)))
                                .thenComparing(r -> !r.getBoolean("exported"))
                                .thenComparingInt(r -> r.getString("name").length())
                                .thenComparing(r -> r.getString("qualified_name")));
                        return all.stream().limit(limit).map(r -> found(r, Match.NEAR)).toList();
                      });
            });
  }

  /**
   * The kinds the index knows, for checking a caller's filter: the workers' kinds of declaration,
   * and modules. {@code find_symbol}'s input schema lists the same (SymbolIndexTest holds them
   * equal).
   */
  public static final Set<String> KINDS = kinds();

  private static Set<String> kinds() {
    Set<String> kinds = new LinkedHashSet<>();
    for (SymbolKind kind : SymbolKind.values()) {
      kinds.add(kind.name());
    }
    kinds.add(SymbolKind.MODULE);
    return java.util.Collections.unmodifiableSet(kinds);
  }

  private static Found found(Row r, Match match) {
    String scope = r.getString("scope");
    String page = r.getString("page_path");
    return new Found(
        r.getString("name"),
        r.getString("qualified_name"),
        r.getString("kind"),
        r.getString("signature"),
        scope,
        inRepository(scope, r.getString("file")),
        r.getInteger("line"),
        r.getInteger("end_line"),
        page == null ? null : inRepository(scope, page),
        r.getString("anchor"),
        r.getString("commit_sha"),
        match);
  }

  private static String inRepository(String scope, String path) {
    if (scope.isEmpty()) {
      return path;
    }
    return path.equals(".") ? scope : scope + "/" + path;
  }
}
