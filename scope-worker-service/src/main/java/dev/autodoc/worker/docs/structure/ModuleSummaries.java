package dev.autodoc.worker.docs.structure;

import dev.autodoc.worker.docs.symbols.DocText;
import dev.autodoc.worker.docs.symbols.SourceFile;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a module says of itself, in the forms each language keeps it: {@code package-info.java}, a
 * Python package's {@code __init__.py} docstring, Go's package comment ({@code doc.go} or any
 * file), the header of an {@code index.ts} or {@code index.js}, a Rust {@code mod.rs} or {@code
 * lib.rs} {@code //!} block, else a README in the module's directory, else the header of a module's
 * only file. Empty when it says nothing: then, and only then, a page counts what it holds instead.
 */
public final class ModuleSummaries {
  /** Files whose own documentation is their directory's, by name. */
  private static final Set<String> PACKAGE_FILES =
      Set.of(
          "package-info.java",
          "__init__.py",
          "doc.go",
          "index.ts",
          "index.d.ts",
          "index.js",
          "index.mjs",
          "index.cjs",
          "mod.rs",
          "lib.rs",
          "main.rs");

  private static final List<String> READMES = List.of("README.md", "readme.md", "README");

  private ModuleSummaries() {}

  public static Optional<String> of(List<SourceFile> files, ScopeText text) {
    Optional<String> own =
        files.stream()
            .filter(f -> PACKAGE_FILES.contains(name(f.path())))
            .map(SourceFile::summary)
            .filter(s -> !s.isEmpty())
            .findFirst();
    if (own.isPresent()) {
      return own;
    }
    String directory = directory(files.getFirst().path());
    for (String readme : READMES) {
      Optional<String> summary =
          text.read(directory.isEmpty() ? readme : directory + "/" + readme)
              .map(DocText::summary)
              .filter(s -> !s.isEmpty());
      if (summary.isPresent()) {
        return summary;
      }
    }
    Optional<String> go =
        files.stream()
            .filter(f -> f.language().equals("go"))
            .map(SourceFile::summary)
            .filter(s -> !s.isEmpty())
            .findFirst();
    if (go.isPresent()) {
      return go;
    }
    return files.size() == 1 && !files.getFirst().summary().isEmpty()
        ? Optional.of(files.getFirst().summary())
        : Optional.empty();
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String directory(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }
}
