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
    CONSTANT;

    public boolean isType() {
      return this == CLASS
          || this == INTERFACE
          || this == ENUM
          || this == RECORD
          || this == ANNOTATION;
    }
  }

  public Symbol {
    annotations = List.copyOf(annotations);
  }
}
