package dev.autodoc.common.quality;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The truthfulness check of written documentation, shared by the pages' quality loop and the
 * answers of {@code ask}: every code span that reads as an identifier ({@code Ledger}, {@code
 * Options.addOption}, {@code ts_parser_new}) must name something in the code. Code spans that are
 * not identifiers (commands, expressions, literals with spaces) are not judged.
 */
public final class CodeIdentifiers {
  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*");

  private CodeIdentifiers() {}

  /**
   * What the check found: how many code spans were identifiers, how many of them named something,
   * and the distinct ones that named nothing, in the order they were written.
   */
  public record Result(int identifiers, int known, List<String> unknown) {
    public Result {
      unknown = List.copyOf(unknown);
    }

    /** The share of identifiers that name something; 1 when the text has none. */
    public double truthfulness() {
      return identifiers == 0 ? 1 : (double) known / identifiers;
    }

    /** One finding per unknown identifier, as the quality loop and {@code ask} report them. */
    public List<String> findings() {
      return unknown.stream().map(CodeIdentifiers::finding).toList();
    }
  }

  public static boolean isIdentifier(String codeSpan) {
    return IDENTIFIER.matcher(codeSpan).matches();
  }

  /** The identifiers among {@code codeSpans}, in order, repeats kept. */
  public static List<String> of(Collection<String> codeSpans) {
    return codeSpans.stream().filter(CodeIdentifiers::isIdentifier).toList();
  }

  public static Result check(Collection<String> codeSpans, Predicate<String> known) {
    List<String> identifiers = of(codeSpans);
    int found = (int) identifiers.stream().filter(known).count();
    return new Result(
        identifiers.size(), found, identifiers.stream().filter(known.negate()).distinct().toList());
  }

  public static String finding(String identifier) {
    return "unknown identifier `" + identifier + "`";
  }
}
