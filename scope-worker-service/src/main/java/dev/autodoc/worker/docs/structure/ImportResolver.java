package dev.autodoc.worker.docs.structure;

import dev.autodoc.worker.docs.symbols.SourceFile;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;

/**
 * Which documented module of the scope an import names, by the rules of the importing file's
 * language. Imports of anything outside the scope (the standard library, packages) resolve to
 * nothing.
 *
 * <ul>
 *   <li>Java: a package prefix followed by a type or {@code *}.
 *   <li>Python: relative imports from the file's package; absolute ones by the directory they name.
 *   <li>JavaScript, TypeScript: relative specifiers, to the directory or the file's directory.
 *   <li>Go: an import path that ends with the module's directory.
 *   <li>C, C++: an include relative to the file, else a file of the scope ending with it.
 *   <li>Rust, C#: a {@code use} path ending with the module's directory.
 * </ul>
 */
final class ImportResolver {
  private final Set<String> modules;
  private final Set<String> files;

  ImportResolver(Set<String> modules, Set<String> files) {
    this.modules = modules;
    this.files = files;
  }

  Optional<String> resolve(SourceFile from, String imported) {
    Optional<String> module =
        switch (from.language()) {
          case "java" -> java(imported);
          case "python" -> python(from, imported);
          case "javascript", "typescript" -> script(from, imported);
          case "go" -> bySuffix(imported);
          case "c", "cpp" -> include(from, imported);
          case "rust" ->
              bySuffix(parent(imported.replaceAll("^(crate|super|self)::", "").replace("::", "/")));
          case "csharp" -> bySuffix(imported.replace('.', '/'));
          default -> Optional.empty();
        };
    return module.filter(m -> !m.equals(from.module()));
  }

  private Optional<String> java(String imported) {
    return modules.stream()
        .filter(m -> !m.isEmpty() && imported.startsWith(m + "."))
        .filter(m -> imported.substring(m.length() + 1).matches("[A-Z].*|\\*"))
        .findFirst();
  }

  private Optional<String> python(SourceFile from, String imported) {
    if (!imported.startsWith(".")) {
      String path = imported.replace('.', '/');
      return bySuffix(path).or(() -> bySuffix(parent(path)));
    }
    int dots = 0;
    while (dots < imported.length() && imported.charAt(dots) == '.') {
      dots++;
    }
    String base = from.module();
    for (int i = 1; i < dots; i++) {
      base = parent(base);
    }
    String rest = imported.substring(dots).replace('.', '/');
    String path = normalize(rest.isEmpty() ? base : base + "/" + rest);
    return exact(path).or(() -> exact(parent(path)));
  }

  private Optional<String> script(SourceFile from, String imported) {
    if (!imported.startsWith("./") && !imported.startsWith("../")) {
      return Optional.empty();
    }
    String path = normalize(from.module() + "/" + imported).replaceAll("\\.[cm]?[jt]sx?$", "");
    return exact(path).or(() -> exact(parent(path)));
  }

  private Optional<String> include(SourceFile from, String included) {
    String beside = normalize(from.module() + "/" + included);
    if (files.contains(beside)) {
      return exact(parent(beside));
    }
    return files.stream()
        .filter(f -> f.equals(included) || f.endsWith("/" + included))
        .sorted()
        .findFirst()
        .flatMap(f -> exact(parent(f)));
  }

  private Optional<String> exact(String path) {
    return modules.contains(path) ? Optional.of(path) : Optional.empty();
  }

  /** The module whose directory the path ends with, the longest match first. */
  private Optional<String> bySuffix(String path) {
    if (path.isEmpty()) {
      return Optional.empty();
    }
    return modules.stream()
        .filter(
            m ->
                !m.isEmpty()
                    && (path.equals(m) || path.endsWith("/" + m) || m.endsWith("/" + path)))
        .max((a, b) -> Integer.compare(a.length(), b.length()));
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** A path with {@code .} and {@code ..} segments resolved, without a leading slash. */
  private static String normalize(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }
}
