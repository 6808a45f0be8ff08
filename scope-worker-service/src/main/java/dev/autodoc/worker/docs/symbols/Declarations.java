package dev.autodoc.worker.docs.symbols;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry per thing the code declares, where the code declares it more than once: C and C++
 * declare a type by a forward {@code typedef struct Stack Stack;} and again with its body, and a
 * function by a prototype in the header and again by its definition. A reader wants one heading for
 * the type and one row for the function, not two that look like two things.
 *
 * <p>A type declared twice under one qualified name keeps the declaration with the body (the
 * longest one: its members lie inside it). A member declared twice with one signature keeps the
 * first declaration with a doc comment (the header's, usually). Members of one name with different
 * signatures are overloads and all stay.
 */
public final class Declarations {
  private Declarations() {}

  /** The declarations of some files, each thing once. */
  public static List<Symbol> of(List<SourceFile> sources) {
    return unify(sources.stream().flatMap(s -> s.symbols().stream()).toList());
  }

  public static List<Symbol> unify(List<Symbol> symbols) {
    Map<String, Symbol> kept = new LinkedHashMap<>();
    for (Symbol symbol : symbols) {
      kept.merge(key(symbol), symbol, Declarations::better);
    }
    return kept.size() == symbols.size() ? symbols : new ArrayList<>(kept.values());
  }

  private static String key(Symbol symbol) {
    return symbol.kind().isType()
        ? "type " + symbol.qualifiedName()
        : symbol.kind() + " " + symbol.qualifiedName() + " " + comparable(symbol.signature());
  }

  /** A prototype and a definition differ only by spacing and a trailing semicolon. */
  private static String comparable(String signature) {
    return signature.replaceAll("\\s+", "").replaceAll(";$", "");
  }

  private static Symbol better(Symbol first, Symbol second) {
    Symbol chosen;
    if (first.kind().isType()) {
      chosen = span(second) > span(first) ? second : first;
    } else {
      chosen = first.summary().isEmpty() && !second.summary().isEmpty() ? second : first;
    }
    Symbol other = chosen == first ? second : first;
    if (chosen.summary().isEmpty() && !other.summary().isEmpty()) {
      return new Symbol(
          chosen.kind(),
          chosen.name(),
          chosen.qualifiedName(),
          chosen.container(),
          chosen.signature(),
          other.summary(),
          chosen.annotations(),
          chosen.exported() || other.exported(),
          chosen.file(),
          chosen.line(),
          chosen.endLine());
    }
    return chosen;
  }

  private static int span(Symbol symbol) {
    return symbol.endLine() - symbol.line();
  }
}
