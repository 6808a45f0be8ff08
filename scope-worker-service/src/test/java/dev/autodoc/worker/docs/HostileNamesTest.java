package dev.autodoc.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.docs.pages.QualityLoop;
import dev.autodoc.worker.docs.pages.QualityScorer;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.StructureExtractor;
import dev.autodoc.worker.docs.symbols.SourceFile;
import dev.autodoc.worker.docs.symbols.SymbolExtractor;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.CustomNode;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * File and directory names may hold newlines, control characters, pipes, brackets and backticks,
 * and signatures may be longer than a table cell shows: the pages still parse as the tables, links
 * and code spans they were written as.
 */
class HostileNamesTest {
  private static final String LONG_PARAMETERS =
      "first_connection_parameter, second_connection_parameter, "
          + "third_connection_parameter, fourth_connection_parameter, fifth_connection_parameter, "
          + "sixth_parameter";
  private static final Map<String, String> FILES = new LinkedHashMap<>();

  static {
    FILES.put("pkg/we\nird|name[1].py", "def hello(name):\n    \"\"\"Say hello.\"\"\"\n");
    FILES.put(
        "pkg/tab\tand\u001bescape (x).py",
        "def connect(\n    " + LONG_PARAMETERS + ",\n):\n    \"\"\"Connect.\"\"\"\n");
    FILES.put(
        "tick`dir/mod.py",
        "class Holder:\n    \"\"\"Holds.\"\"\"\n    def get(self):\n        pass\n");
  }

  private static final Parser PARSER =
      Parser.builder().extensions(List.of(TablesExtension.create())).build();

  @Test
  void pagesKeepTheirTablesLinksAndCodeSpansWhateverTheFilesAreNamed() {
    DocContext context = context();
    var loop = new QualityLoop(new StaticPageGenerator(), new QualityScorer());
    List<Page> pages =
        context.structure().pages().stream().map(p -> loop.run(p, context, 0.7, 3)).toList();
    String all = String.join("\n", pages.stream().map(Page::markdown).toList());

    for (Page page : pages) {
      Node document = PARSER.parse(page.markdown());
      // Every table row has as many cells as its header: no name ended a row.
      for (TableBlock table : nodes(document, TableBlock.class)) {
        List<TableRow> rows = nodes(table, TableRow.class);
        int columns = children(rows.getFirst()).size();
        assertThat(rows).allSatisfy(r -> assertThat(children(r)).hasSize(columns));
      }
      // Every link to a source file decodes to a file of the scope.
      for (Link link : nodes(document, Link.class)) {
        String target = link.getDestination().replaceAll("#.*$", "");
        String asPage = URI.create("x:/" + page.path()).resolve(target).getPath().substring(1);
        boolean toPage =
            context.structure().pages().stream().anyMatch(p -> p.path().equals(asPage));
        if (!toPage) {
          String file =
              URI.create("x:/docs/autodoc/" + page.path()).resolve(target).normalize().getPath();
          assertThat(FILES)
              .as(page.path() + ": " + link.getDestination())
              .containsKey(file.substring(1));
        }
      }
      assertThat(page.findings()).as(page.path()).noneMatch(f -> f.startsWith("broken link"));
    }
    // Names read as they are, control characters as escapes.
    List<String> linkTexts =
        pages.stream()
            .flatMap(p -> nodes(PARSER.parse(p.markdown()), Link.class).stream())
            .map(HostileNamesTest::text)
            .toList();
    assertThat(linkTexts)
        .contains("pkg/we\\nird|name[1].py", "we\\nird|name[1].py:1")
        .contains("pkg/tab\\tand\\x1Bescape (x).py", "tick`dir/mod.py");
    assertThat(all).doesNotContain("\u001b").doesNotContain("we\nird");
    // The long signature is cut between parameters, the ellipsis outside the code span.
    List<String> signatures =
        pages.stream()
            .flatMap(p -> nodes(PARSER.parse(p.markdown()), Code.class).stream())
            .map(Code::getLiteral)
            .filter(c -> c.startsWith("def connect("))
            .toList();
    assertThat(signatures).isNotEmpty();
    String full = "def connect(" + LONG_PARAMETERS + ")";
    assertThat(signatures)
        .allSatisfy(
            s -> {
              assertThat(full).startsWith(s);
              assertThat(s).doesNotContain("…");
              if (s.length() < full.length()) {
                assertThat(full.charAt(s.length())).isNotIn('_', 'a', 'e', 'r');
                assertThat(s).endsWith("_parameter");
              }
            });
    assertThat(all).contains("` …");
  }

  private static DocContext context() {
    List<SymbolExtractor> extractors = SymbolExtractor.all();
    List<SourceFile> sources = new ArrayList<>();
    FILES.forEach(
        (path, code) ->
            SymbolExtractor.forLanguage(extractors, "python")
                .orElseThrow()
                .extract(path, code)
                .ifPresent(sources::add));
    return new DocContext(
        StructureExtractor.extract(
            "hostile", sources, FILES.keySet(), dev.autodoc.worker.docs.structure.ScopeText.NONE),
        sources,
        FILES.keySet(),
        ScopeConfig.Output.DEFAULT.pagesDir(),
        "Names nobody should give files.");
  }

  private static <T extends Node> List<T> nodes(Node root, Class<T> type) {
    List<T> found = new ArrayList<>();
    root.accept(
        new AbstractVisitor() {
          @Override
          public void visit(CustomBlock block) {
            collect(block);
            visitChildren(block);
          }

          @Override
          public void visit(CustomNode node) {
            collect(node);
            visitChildren(node);
          }

          @Override
          public void visit(Link link) {
            collect(link);
            visitChildren(link);
          }

          @Override
          public void visit(Code code) {
            collect(code);
          }

          private void collect(Node node) {
            if (type.isInstance(node)) {
              found.add(type.cast(node));
            }
          }
        });
    return found;
  }

  private static String text(Node node) {
    StringBuilder text = new StringBuilder();
    node.accept(
        new AbstractVisitor() {
          @Override
          public void visit(org.commonmark.node.Text t) {
            text.append(t.getLiteral());
          }

          @Override
          public void visit(Code code) {
            text.append(code.getLiteral());
          }
        });
    return text.toString();
  }

  private static List<Node> children(Node node) {
    List<Node> children = new ArrayList<>();
    for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
      children.add(child);
    }
    return children;
  }
}
