package dev.autodoc.common.scope;

/** One thing wrong in a {@code .autodoc.yaml}: where it is and what to fix. */
public record ConfigProblem(String file, int line, String field, String message) {
  @Override
  public String toString() {
    return file + ":" + line + ": " + (field.isEmpty() ? "" : "field '" + field + "': ") + message;
  }
}
