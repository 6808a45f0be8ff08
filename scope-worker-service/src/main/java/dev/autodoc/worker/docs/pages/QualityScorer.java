package dev.autodoc.worker.docs.pages;

import dev.autodoc.common.quality.CodeIdentifiers;
import dev.autodoc.worker.docs.structure.PagePlan;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;

/**
 * Scores a page from 0 to 1 by objective checks, each reported as findings:
 *
 * <ul>
 *   <li>truthfulness (0.30): every identifier in a code span names something in the scope's code;
 *   <li>completeness (0.30): every symbol the page owns is mentioned;
 *   <li>links (0.15): every relative link lands on a page of the structure or a file of the scope;
 *   <li>Markdown (0.10): one title first, no skipped heading level, every code fence closed;
 *   <li>Mermaid (0.05): every diagram names a known type and balances its brackets and quotes;
 *   <li>sections (0.10): the sections its kind of page must have are there.
 * </ul>
 */
public final class QualityScorer {
  private static final Set<String> DIAGRAMS =
      Set.of(
          "flowchart", "graph", "classDiagram", "sequenceDiagram", "stateDiagram-v2", "erDiagram");
  private static final Parser PARSER =
      Parser.builder().extensions(List.of(TablesExtension.create())).build();

  /** A score and what lowered it. */
  public record Score(double value, List<String> findings) {
    public Score {
      findings = List.copyOf(findings);
    }
  }

  public static List<String> requiredSections(PagePlan.Kind kind) {
    return switch (kind) {
      case OVERVIEW -> List.of("Overview", "Structure", "Build and test");
      case MODULE, COMPONENT -> List.of("Overview", "API", "Source files");
    };
  }

  public Score score(PagePlan page, String markdown, DocContext context) {
    Node document = PARSER.parse(markdown);
    var collected = new Collected();
    document.accept(collected);
    List<String> findings = new ArrayList<>();

    var identifiers = CodeIdentifiers.check(collected.codeSpans, context.knownNames()::contains);
    findings.addAll(identifiers.findings());
    double truthfulness = identifiers.truthfulness();

    List<String> owned =
        context.symbolsOf(page).stream().map(s -> s.qualifiedName()).distinct().toList();
    Set<String> mentioned = Set.copyOf(collected.codeSpans);
    long covered =
        context.symbolsOf(page).stream()
            .filter(s -> s.names().stream().anyMatch(mentioned::contains))
            .map(s -> s.qualifiedName())
            .distinct()
            .count();
    context.symbolsOf(page).stream()
        .filter(s -> s.names().stream().noneMatch(mentioned::contains))
        .map(s -> s.qualifiedName())
        .distinct()
        .forEach(q -> findings.add("missing symbol `" + q + "`"));
    double completeness = owned.isEmpty() ? 1 : (double) covered / owned.size();

    long resolved = 0;
    for (String link : collected.links) {
      if (resolves(page, link, context)) {
        resolved++;
      } else {
        findings.add("broken link (" + link + ")");
      }
    }
    double links = collected.links.isEmpty() ? 1 : (double) resolved / collected.links.size();

    List<String> structure = new ArrayList<>();
    if (collected.headings.isEmpty() || collected.headings.getFirst().level != 1) {
      structure.add("the page must start with one title (#)");
    }
    for (int i = 1; i < collected.headings.size(); i++) {
      if (collected.headings.get(i).level == 1) {
        structure.add("more than one title (#)");
      } else if (collected.headings.get(i).level > collected.headings.get(i - 1).level + 1) {
        structure.add("heading '" + collected.headings.get(i).text + "' skips a level");
      }
    }
    if (collected.unclosedFences > 0) {
      structure.add("a code fence is not closed");
    }
    structure.forEach(f -> findings.add("markdown: " + f));
    double markdownScore = structure.isEmpty() ? 1 : 0;

    long goodDiagrams = 0;
    for (int i = 0; i < collected.mermaid.size(); i++) {
      String problem = mermaidProblem(collected.mermaid.get(i));
      if (problem == null) {
        goodDiagrams++;
      } else {
        findings.add("mermaid diagram " + (i + 1) + ": " + problem);
      }
    }
    double mermaid =
        collected.mermaid.isEmpty() ? 1 : (double) goodDiagrams / collected.mermaid.size();

    List<String> required = requiredSections(page.kind());
    Set<String> present =
        Set.copyOf(collected.headings.stream().filter(h -> h.level == 2).map(h -> h.text).toList());
    required.stream()
        .filter(s -> !present.contains(s))
        .forEach(s -> findings.add("missing section `## " + s + "`"));
    double sections =
        (double) required.stream().filter(present::contains).count() / required.size();

    double value =
        0.30 * truthfulness
            + 0.30 * completeness
            + 0.15 * links
            + 0.10 * markdownScore
            + 0.05 * mermaid
            + 0.10 * sections;
    return new Score(Math.round(value * 1000) / 1000.0, findings);
  }

  private static boolean resolves(PagePlan page, String link, DocContext context) {
    if (link.startsWith("#") || link.matches("^[a-z][a-z0-9+.-]*:.*")) {
      return true;
    }
    try {
      return resolvesRelative(page, link, context);
    } catch (IllegalArgumentException e) {
      return false; // not a URI at all (an LLM wrote a raw space or bracket): a broken link
    }
  }

  /** Targets are percent-encoded; the paths they decode to are the files and pages. */
  private static boolean resolvesRelative(PagePlan page, String link, DocContext context) {
    String target = link.replaceAll("#.*$", "");
    String pageDir =
        page.path().contains("/") ? page.path().substring(0, page.path().lastIndexOf('/') + 1) : "";
    String asPage = URI.create("x:/" + pageDir).resolve(target).getPath().substring(1);
    if (context.structure().pages().stream().anyMatch(p -> p.path().equals(asPage))) {
      return true;
    }
    String base = (context.pagesDir().isEmpty() ? "" : context.pagesDir() + "/") + pageDir;
    String resolved = URI.create("x:/" + base).resolve(target).normalize().getPath();
    return !resolved.startsWith("/..") && context.files().contains(resolved.substring(1));
  }

  /** Why a Mermaid diagram would not render, or null when it looks well formed. */
  static String mermaidProblem(String diagram) {
    String[] lines = diagram.strip().split("\n");
    String type = lines[0].strip().split("\\s+")[0];
    if (!DIAGRAMS.contains(type)) {
      return "unknown diagram type '" + type + "'";
    }
    for (int i = 1; i < lines.length; i++) {
      if (!balanced(lines[i])) {
        return "line " + (i + 1) + " has unbalanced brackets or quotes";
      }
    }
    return null;
  }

  private static boolean balanced(String line) {
    Deque<Character> open = new ArrayDeque<>();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && "[({".indexOf(c) >= 0) {
        open.push(c);
      } else if (!quoted && "])}".indexOf(c) >= 0) {
        if (open.isEmpty() || "[({".indexOf(open.pop()) != "])}".indexOf(c)) {
          return false;
        }
      }
    }
    return open.isEmpty() && !quoted;
  }

  private record HeadingText(int level, String text) {}

  private static final class Collected extends AbstractVisitor {
    final List<String> codeSpans = new ArrayList<>();
    final List<String> links = new ArrayList<>();
    final List<HeadingText> headings = new ArrayList<>();
    final List<String> mermaid = new ArrayList<>();
    int unclosedFences;

    @Override
    public void visit(Code code) {
      codeSpans.add(code.getLiteral());
    }

    @Override
    public void visit(Link link) {
      links.add(link.getDestination());
      visitChildren(link);
    }

    @Override
    public void visit(Heading heading) {
      var text = new StringBuilder();
      heading.accept(
          new AbstractVisitor() {
            @Override
            public void visit(org.commonmark.node.Text t) {
              text.append(t.getLiteral());
            }

            @Override
            public void visit(Code c) {
              text.append(c.getLiteral());
              codeSpans.add(c.getLiteral());
            }
          });
      headings.add(new HeadingText(heading.getLevel(), text.toString()));
    }

    @Override
    public void visit(FencedCodeBlock block) {
      if (block.getClosingFenceLength() == null) {
        unclosedFences++;
      }
      if ("mermaid".equals(block.getInfo())) {
        mermaid.add(block.getLiteral());
      }
    }
  }
}
