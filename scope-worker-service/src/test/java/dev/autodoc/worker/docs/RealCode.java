package dev.autodoc.worker.docs;

import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.structure.StructureExtractor;
import dev.autodoc.worker.docs.symbols.JavaSymbolExtractor;
import dev.autodoc.worker.docs.symbols.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Open-source code the build unpacked from sources jars on Maven Central, read as a scope. */
final class RealCode {
  private RealCode() {}

  static Path root(String library) {
    return Path.of(System.getProperty("autodoc.build.dir", "target"), "real-code", library);
  }

  static Set<String> files(String library) {
    try (Stream<Path> all = Files.walk(root(library))) {
      return all.filter(Files::isRegularFile)
          .map(p -> root(library).relativize(p).toString())
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<SourceFile> sources(String library) {
    var extractor = new JavaSymbolExtractor();
    List<SourceFile> sources = new ArrayList<>();
    for (String file : files(library)) {
      if (file.endsWith(".java")) {
        try {
          extractor
              .extract(file, Files.readString(root(library).resolve(file)))
              .ifPresent(sources::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return sources;
  }

  static DocContext context(String library) {
    List<SourceFile> sources = sources(library);
    Set<String> files = files(library);
    return new DocContext(
        StructureExtractor.extract(library, sources, files),
        sources,
        files,
        ScopeConfig.Output.DEFAULT.pagesDir(),
        library + " as published on Maven Central.");
  }
}
