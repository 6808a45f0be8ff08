package dev.autodoc.worker.persistence;

import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.Markdown;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.symbols.Symbol;
import dev.autodoc.worker.pipeline.ScopeContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scope's symbol index: each declaration with its file and lines, and the page and heading that
 * document it, stored with the run's pages so that look-ups read the same run as the pages. A
 * heading is named only when the page has it (a page the model wrote may use other headings); a
 * symbol no page documents keeps its place in the code alone. Modules are listed too, by the
 * directory or file they are, without lines.
 */
@ApplicationScoped
public class SymbolStore {
  /** Rows per statement: a scope of the JDK's size has some hundred thousand declarations. */
  static final int BATCH = 10_000;

  /** One row of {@code worker.symbol}. */
  public record Row(
      String kind,
      String name,
      String qualifiedName,
      String signature,
      boolean exported,
      String file,
      Integer line,
      Integer endLine,
      String page,
      String anchor) {}

  /**
   * The rows of a documented scope, none for one not documented. Reading every page's headings is
   * processor work: done before the transaction, off the event loop.
   */
  public static List<Row> rows(ScopeRequested request, ScopeContext context) {
    return context.docs() == null
        ? List.of()
        : rows(context.docs(), context.pages(), request.config().output().pagesPrefix());
  }

  public Uni<Void> store(SqlConnection tx, ScopeRequested request, List<Row> rows) {
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<List<Row>> batches = new ArrayList<>();
    for (int i = 0; i < rows.size(); i += BATCH) {
      batches.add(rows.subList(i, Math.min(rows.size(), i + BATCH)));
    }
    // A run's outcome is stored once; clearing first keeps a replayed store from doubling rows.
    return tx.preparedQuery("delete from worker.symbol where job_id = $1 and scope_path = $2")
        .execute(Tuple.of(request.jobId(), request.scopePath()))
        .chain(
            () ->
                Multi.createFrom()
                    .iterable(batches)
                    .onItem()
                    .transformToUniAndConcatenate(batch -> insert(tx, request, batch))
                    .collect()
                    .last())
        .replaceWithVoid();
  }

  /** The rows of a scope: its declarations, then its modules. */
  static List<Row> rows(DocContext docs, List<Page> pages, String pagesDir) {
    Map<String, Set<String>> anchors = new HashMap<>();
    pages.forEach(p -> anchors.put(p.path(), Markdown.anchors(p.markdown())));
    List<Row> rows = new ArrayList<>();
    for (Symbol s : docs.symbols()) {
      String page = null;
      String anchor = null;
      var href = docs.documentedAt(s.qualifiedName());
      if (href.isPresent()) {
        int hash = href.get().indexOf('#');
        String path = href.get().substring(0, hash);
        if (anchors.containsKey(path)) {
          page = pagesDir + path;
          String id = href.get().substring(hash + 1);
          anchor = anchors.get(path).contains(id) ? id : null;
        }
      }
      rows.add(
          new Row(
              s.kind().name(),
              s.name(),
              s.qualifiedName(),
              s.signature(),
              s.exported(),
              s.file(),
              s.line(),
              s.endLine(),
              page,
              anchor));
    }
    for (PagePlan plan : docs.structure().pages()) {
      if (plan.kind() != PagePlan.Kind.MODULE || plan.sourceFiles().isEmpty()) {
        continue;
      }
      String place =
          plan.sourceFiles().size() == 1
              ? plan.sourceFiles().getFirst()
              : commonDirectory(plan.sourceFiles());
      int dot = plan.module().lastIndexOf('.');
      rows.add(
          new Row(
              "MODULE",
              dot < 0 ? plan.module() : plan.module().substring(dot + 1),
              plan.module(),
              plan.title(),
              true,
              place,
              null,
              null,
              anchors.containsKey(plan.path()) ? pagesDir + plan.path() : null,
              null));
    }
    return rows;
  }

  private static String commonDirectory(List<String> files) {
    String common = files.getFirst();
    int slash = common.lastIndexOf('/');
    common = slash < 0 ? "" : common.substring(0, slash + 1);
    for (String file : files) {
      while (!file.startsWith(common)) {
        int up = common.lastIndexOf('/', common.length() - 2);
        common = up < 0 ? "" : common.substring(0, up + 1);
      }
    }
    return common.isEmpty() ? "." : common.substring(0, common.length() - 1);
  }

  private static Uni<Void> insert(SqlConnection tx, ScopeRequested request, List<Row> rows) {
    int n = rows.size();
    String[] kinds = new String[n];
    String[] names = new String[n];
    String[] qualified = new String[n];
    String[] signatures = new String[n];
    Boolean[] exported = new Boolean[n];
    String[] files = new String[n];
    Integer[] lines = new Integer[n];
    Integer[] ends = new Integer[n];
    String[] pages = new String[n];
    String[] anchors = new String[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      kinds[i] = r.kind();
      names[i] = r.name();
      qualified[i] = r.qualifiedName();
      signatures[i] = r.signature();
      exported[i] = r.exported();
      files[i] = r.file();
      lines[i] = r.line();
      ends[i] = r.endLine();
      pages[i] = r.page();
      anchors[i] = r.anchor();
    }
    return tx.preparedQuery(
            "insert into worker.symbol (job_id, scope_path, kind, name, qualified_name, signature,"
                + " exported, file, line, end_line, page_path, anchor)"
                + " select $1, $2, t.* from unnest($3::text[], $4::text[], $5::text[], $6::text[],"
                + " $7::boolean[], $8::text[], $9::int[], $10::int[], $11::text[], $12::text[])"
                + " as t(kind, name, qualified_name, signature, exported, file, line, end_line,"
                + " page_path, anchor)")
        .execute(
            Tuple.from(
                new Object[] {
                  request.jobId(),
                  request.scopePath(),
                  kinds,
                  names,
                  qualified,
                  signatures,
                  exported,
                  files,
                  lines,
                  ends,
                  pages,
                  anchors
                }))
        .replaceWithVoid();
  }
}
