package dev.autodoc.common.symbol;

/**
 * What a declaration found in the code is. The workers store it with each symbol, the symbol index
 * filters by it (with {@code MODULE} for the module rows), so one list serves both.
 */
public enum SymbolKind {
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

  /** The kind the symbol index gives a module (a directory or file), which no declaration has. */
  public static final String MODULE = "MODULE";

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
