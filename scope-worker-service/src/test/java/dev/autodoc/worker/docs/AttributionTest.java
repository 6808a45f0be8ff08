package dev.autodoc.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every member a page lists under a type is declared in that type, at the file and line the page
 * cites: read back from the rendered Markdown and checked against the source text. A member belongs
 * to its type when it lies inside the type's declaration, or, in Go and Rust, where methods live
 * outside it, when its receiver or its {@code impl} block names the type.
 */
class AttributionTest {
  private static final Pattern HEADING = Pattern.compile("(?m)^### `([^`]+)`$");
  private static final Pattern NEXT_HEADING = Pattern.compile("(?m)^#");

  /** The kind line under a heading: {@code class `a.File` — [File.java:12](../File.java#L12)}. */
  private static final Pattern TYPE_SOURCE =
      Pattern.compile("\\A\\s*\\w+ `[^`]+` — \\[[^\\]]*\\]\\(([^)#]*)#L(\\d+)\\)");

  private static final Pattern MEMBER_ROW =
      Pattern.compile("(?m)^\\| `([^`]+)` \\|.*\\| \\[[^\\]]*\\]\\(([^)#]*)#L(\\d+)\\) \\|$");

  record Citation(String file, int line) {}

  @Test
  void everyMemberListedUnderATypeIsDeclaredInThatType() {
    int members = 0;
    List<String> wrong = new ArrayList<>();
    var generator = new StaticPageGenerator();
    for (String library : DocumentationTest.libraries()) {
      DocContext context = RealCode.context(library);
      var sources = new SourceText(RealCode.root(library));
      for (PagePlan page : context.structure().pages()) {
        if (page.kind() == PagePlan.Kind.OVERVIEW) {
          continue;
        }
        String markdown = generator.generate(page, context, List.of());
        Matcher heading = HEADING.matcher(markdown);
        while (heading.find()) {
          String typeName = heading.group(1).substring(heading.group(1).lastIndexOf('.') + 1);
          Matcher next = NEXT_HEADING.matcher(markdown);
          String section =
              markdown.substring(
                  heading.end(), next.find(heading.end()) ? next.start() : markdown.length());
          Matcher typeSource = TYPE_SOURCE.matcher(section);
          if (heading.group(1).equals("Functions and constants")) {
            continue;
          }
          assertThat(typeSource.find()).as(page.path() + " " + heading.group(1)).isTrue();
          var type = new Citation(path(typeSource.group(1)), Integer.parseInt(typeSource.group(2)));
          int typeEnd = endLine(context, type, true);
          Matcher row = MEMBER_ROW.matcher(section);
          while (row.find()) {
            members++;
            String member = row.group(1);
            var at = new Citation(path(row.group(2)), Integer.parseInt(row.group(3)));
            boolean declaredThere = sources.declares(at, member, endLine(context, at, false));
            boolean inType =
                at.file().equals(type.file()) && at.line() >= type.line() && at.line() <= typeEnd;
            if (!declaredThere
                || !(inType || sources.receiverIs(at, typeName) || sources.implIs(at, typeName))) {
              wrong.add(
                  library + " " + page.path() + ": " + heading.group(1) + "." + member + " " + at);
            }
          }
        }
      }
    }
    System.out.printf(
        "attribution: %d of %d members listed under their types are declared in them%n",
        members - wrong.size(), members);
    assertThat(members).isGreaterThan(3_000);
    assertThat(wrong).isEmpty();
  }

  @Test
  void twoSameNamedTypesOfTwoFilesAreTwoTypesWithTheirOwnMembers() {
    DocContext context = RealCode.context(RealCode.NODE_GYP);
    List<Symbol> targets =
        context.symbols().stream()
            .filter(s -> s.kind().isType() && s.name().equals("Target"))
            .filter(s -> s.file().startsWith("gyp/pylib/gyp/generator/"))
            .toList();
    assertThat(targets)
        .extracting(Symbol::file)
        .hasSizeGreaterThanOrEqualTo(2)
        .doesNotHaveDuplicates();
    assertThat(targets).extracting(Symbol::qualifiedName).doesNotHaveDuplicates();
    PagePlan generators =
        context.structure().pages().stream()
            .filter(p -> p.module().equals("gyp/pylib/gyp/generator"))
            .findFirst()
            .orElseThrow();
    String markdown = new StaticPageGenerator().generate(generators, context, List.of());
    for (Symbol target : targets) {
      assertThat(markdown)
          .contains(
              "### `"
                  + dev.autodoc.worker.docs.pages.ApiSection.qualifiedWithin(
                      target, generators.module())
                  + "`");
    }
  }

  /** The scope-relative path a link from a page points to. */
  private static String path(String link) {
    return URLDecoder.decode(link.replaceAll("^(\\.\\./)+", ""), StandardCharsets.UTF_8);
  }

  /** Where the declaration cited ends, as the parser read it. */
  private static int endLine(DocContext context, Citation at, boolean type) {
    return context.symbols().stream()
        .filter(s -> s.kind().isType() == type)
        .filter(s -> s.file().equals(at.file()) && s.line() == at.line())
        .mapToInt(Symbol::endLine)
        .max()
        .orElse(at.line());
  }

  /** The lines of a library's files, read as a reader opens them. */
  private static final class SourceText {
    private final Path root;
    private final Map<String, List<String>> lines = new HashMap<>();

    SourceText(Path root) {
      this.root = root;
    }

    private List<String> of(String file) {
      return lines.computeIfAbsent(
          file,
          f -> {
            try {
              return Files.readAllLines(root.resolve(f), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }

    private String line(Citation at) {
      List<String> all = of(at.file());
      return at.line() >= 1 && at.line() <= all.size() ? all.get(at.line() - 1) : "";
    }

    /**
     * The declaration starting at the cited line names the member: on that line, below the
     * annotations, decorators and modifiers it starts with, or on its last line.
     */
    boolean declares(Citation at, String member, int endLine) {
      Pattern name = Pattern.compile("(?<![\\w$])" + Pattern.quote(member) + "(?![\\w$])");
      for (int n = at.line(); n < at.line() + 8; n++) {
        if (name.matcher(line(new Citation(at.file(), n))).find()) {
          return true;
        }
      }
      // struct { ... } shift; names its field after the body
      return name.matcher(line(new Citation(at.file(), endLine))).find();
    }

    /** A Go method whose receiver is the type: {@code func (c *Command) Name(}. */
    boolean receiverIs(Citation at, String type) {
      return Pattern.compile("^func\\s*\\(\\s*\\w*\\s*\\*?\\s*" + Pattern.quote(type) + "\\b")
          .matcher(line(at))
          .find();
    }

    /** A Rust item inside an {@code impl} block for the type (or of a trait for it). */
    boolean implIs(Citation at, String type) {
      int indent = indent(line(at));
      for (int n = at.line() - 1; n >= 1; n--) {
        String text = line(new Citation(at.file(), n));
        if (text.isBlank() || indent(text) >= indent) {
          continue;
        }
        return Pattern.compile(
                "^\\s*(unsafe\\s+)?impl\\b(<.*?>)?\\s+(.*\\sfor\\s+)?([\\w:]+::)?"
                    + Pattern.quote(type)
                    + "\\b")
            .matcher(text)
            .find();
      }
      return false;
    }

    private static int indent(String text) {
      int i = 0;
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      return i;
    }
  }
}
