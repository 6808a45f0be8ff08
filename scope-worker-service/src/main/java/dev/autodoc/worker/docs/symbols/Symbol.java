package dev.autodoc.worker.docs.symbols;

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
 */
public record Symbol(
    Kind kind,
    String name,
    String qualifiedName,
    String container,
    String signature,
    String summary,
    List<String> annotations,
    boolean exported,
    String file,
    int line) {

  public enum Kind {
    CLASS,
    INTERFACE,
    ENUM,
    RECORD,
    ANNOTATION,
    CONSTRUCTOR,
    METHOD,
    FIELD,
    CONSTANT,
    /** A function outside any type (Python, JavaScript, Go, Rust, C, C++). */
    FUNCTION,
    STRUCT,
    TRAIT,
    /** A named type that is none of the above: a type alias or a Go defined type. */
    TYPE;

    public boolean isType() {
      return switch (this) {
        case CLASS, INTERFACE, ENUM, RECORD, ANNOTATION, STRUCT, TRAIT, TYPE -> true;
        default -> false;
      };
    }

    /** Whether a module that exports this is worth a page of its own: types and functions. */
    public boolean isTopLevelApi() {
      return isType() || this == FUNCTION;
    }
  }

  public Symbol {
    annotations = List.copyOf(annotations);
  }
}
