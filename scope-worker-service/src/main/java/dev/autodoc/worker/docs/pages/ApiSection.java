package dev.autodoc.worker.docs.pages;

import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.symbols.Signatures;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.ArrayList;
import java.util.List;

/**
 * The API section of a module or component page: each type under its heading (its full name, where
 * it is declared, its signature and summary) with a table of its members, then the functions and
 * constants outside any type. A signature too long for its table cell is shortened there between
 * tokens and shown in full, wrapped as the language's formatter wraps it, below the table.
 */
public final class ApiSection {
  /** The longest signature a table cell shows before it is shortened. */
  static final int MAX_SIGNATURE_IN_TABLE = 160;

  private ApiSection() {}

  static String render(
      PagePlan page,
      DocContext context,
      List<Symbol> types,
      List<Symbol> symbols,
      List<Symbol> topLevel) {
    var md = new StringBuilder("## API\n\n");
    for (Symbol type : types) {
      md.append("### `")
          .append(context.typeHeading(page, type))
          .append("`\n\n")
          .append(type.kind().name().toLowerCase(java.util.Locale.ROOT))
          .append(' ')
          // the full name, so a search for it finds this type and not another of its name
          .append(Markdown.code(type.qualifiedName(), false))
          .append(" — ")
          .append(sourceReference(page, type, context))
          .append("\n\n")
          .append("```")
          .append(context.languageOf(type.file()))
          .append('\n')
          .append(type.signature())
          .append("\n```\n\n");
      if (!type.summary().isEmpty()) {
        md.append(context.prose(page, type.file(), type.summary())).append("\n\n");
      }
      List<Symbol> members =
          symbols.stream()
              .filter(s -> !s.kind().isType() && s.container().equals(type.qualifiedName()))
              .toList();
      md.append(table("Member", members, page, context));
    }
    if (!topLevel.isEmpty()) {
      md.append("### Functions and constants\n\n").append(table("Name", topLevel, page, context));
    }
    return md.toString();
  }

  /** The file a page's own words come from first: what decides between same-named symbols. */
  static String firstSource(PagePlan page) {
    return page.sourceFiles().isEmpty() ? null : page.sourceFiles().getFirst();
  }

  /**
   * A type's qualified name within the page's module ({@code core.Option} on the page of module
   * {@code pkg}), for a page holding two types of one name (from two files, or two enclosing
   * types): what tells them apart.
   */
  public static String qualifiedWithin(Symbol type, String module) {
    String prefix = module.replace('/', '.') + ".";
    return !module.isEmpty() && type.qualifiedName().startsWith(prefix)
        ? type.qualifiedName().substring(prefix.length())
        : type.qualifiedName();
  }

  /** {@code [File.java:12](../../File.java#L12)}: where a symbol is declared. */
  private static String sourceReference(PagePlan page, Symbol symbol, DocContext context) {
    return "["
        + Markdown.text(fileName(symbol.file()))
        + ":"
        + symbol.line()
        + "]("
        + context.sourceLink(page, symbol)
        + ")";
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  static String cell(String text) {
    return text.replace("|", "\\|").replaceAll("[\\n\\r]+", " ");
  }

  /**
   * A table of declarations: name, signature, summary, source. Signatures shortened in their cell
   * follow the table in full, wrapped, each under its name.
   */
  private static String table(
      String nameColumn, List<Symbol> rows, PagePlan page, DocContext context) {
    if (rows.isEmpty()) {
      return "";
    }
    var md = new StringBuilder("| ").append(nameColumn);
    md.append(" | Signature | Summary | Source |\n|---|---|---|---|\n");
    List<Symbol> shortened = new ArrayList<>();
    for (Symbol row : rows) {
      Signatures.Shortened shown = Signatures.shorten(row.signature(), MAX_SIGNATURE_IN_TABLE);
      if (shown.cut()) {
        shortened.add(row);
      }
      md.append("| `")
          .append(row.name())
          .append("` | ")
          .append(Markdown.code(shown.code(), true))
          .append(shown.cut() ? " " + Signatures.ELLIPSIS : "")
          .append(" | ")
          .append(cell(context.prose(page, row.file(), row.summary())))
          .append(" | ")
          .append(sourceReference(page, row, context))
          .append(" |\n");
    }
    md.append('\n');
    for (Symbol row : shortened) {
      String language = context.languageOf(row.file());
      // where it is declared, to tell overloads apart
      md.append(Markdown.code(row.name(), false))
          .append(" in full (")
          .append(sourceReference(page, row, context))
          .append("):\n\n```")
          .append(language)
          .append('\n')
          .append(Signatures.wrap(row.signature(), language))
          .append("\n```\n\n");
    }
    return md.toString();
  }
}
