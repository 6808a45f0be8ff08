package dev.autodoc.worker.docs.symbols;

import dev.autodoc.common.symbol.SymbolKind;
import java.util.List;

/**
 * A declaration found in the code: a type or one of its members, where it is, how it reads, and the
 * first sentence of its doc comment.
 *
 * @param name the simple name ({@code Options}, {@code addOption})
 * @param qualifiedName the name with its container ({@code
 *     org.apache.commons.cli.Options.addOption})
 * @param container the qualified name of the enclosing type or package
 * @param signature the declaration as written, without body or doc comment
 * @param summary the doc comment's first sentence, empty when there is none
 * @param file the scope-relative path of the file
 * @param line the line the declaration starts on
 * @param endLine the line the declaration ends on: a type's members lie between the two
 */
public record Symbol(
    SymbolKind kind,
    String name,
    String qualifiedName,
    String container,
    String signature,
    String summary,
    List<String> annotations,
    boolean exported,
    String file,
    int line,
    int endLine) {

  public Symbol {
    annotations = List.copyOf(annotations);
  }

  /**
   * Every name a reader may know this symbol by: its qualified name and each shorter tail of it
   * ({@code core.Option}, {@code Option}), as a page qualifies a name just enough to tell two
   * apart.
   */
  public List<String> names() {
    List<String> names = new java.util.ArrayList<>();
    String rest = qualifiedName;
    names.add(rest);
    for (int dot = rest.indexOf('.'); dot >= 0; dot = rest.indexOf('.')) {
      rest = rest.substring(dot + 1);
      names.add(rest);
    }
    if (!names.contains(name)) {
      names.add(name);
    }
    return names;
  }
}
