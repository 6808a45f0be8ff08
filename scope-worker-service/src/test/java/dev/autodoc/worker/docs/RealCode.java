package dev.autodoc.worker.docs;

import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.local.testing.RealSources;
import dev.autodoc.local.testing.SourceArchive;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.structure.ScopeText;
import dev.autodoc.worker.docs.structure.StructureExtractor;
import dev.autodoc.worker.docs.symbols.SourceFile;
import dev.autodoc.worker.docs.symbols.SymbolExtractor;
import dev.autodoc.worker.pipeline.Languages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Open-source code read as a scope: Java the build unpacked from sources jars on Maven Central, and
 * the other languages from published npm and Debian packages, pinned by SHA-256.
 */
public final class RealCode {
  /** Python (gyp) and JavaScript. */
  static final String NODE_GYP = "node-gyp";

  /** TypeScript. */
  static final String RXJS = "rxjs";

  /** C#, C++ and JavaScript. */
  static final String EDGE_JS = "edge-js";

  /** C (the tree-sitter library), C++ and JavaScript. */
  static final String TREE_SITTER = "tree-sitter";

  /** Go. */
  static final String COBRA = "cobra";

  /** Rust. */
  static final String SEMVER = "semver";

  /** Python with Sphinx roles and two classes named Option. */
  static final String CLICK = "click";

  /** TypeScript declarations with TSDoc. */
  static final String TS_COMMAND_LINE = "ts-command-line";

  private static final Map<String, SourceArchive> ARCHIVES =
      Map.of(
          NODE_GYP, RealSources.NODE_GYP,
          RXJS, RealSources.RXJS,
          EDGE_JS, RealSources.EDGE_JS,
          TREE_SITTER, RealSources.TREE_SITTER,
          COBRA, RealSources.COBRA,
          SEMVER, RealSources.SEMVER,
          CLICK, RealSources.CLICK,
          TS_COMMAND_LINE, RealSources.TS_COMMAND_LINE);

  private RealCode() {}

  public static Path root(String library) {
    SourceArchive archive = ARCHIVES.get(library);
    return archive != null
        ? archive.unpacked()
        : Path.of(System.getProperty("autodoc.build.dir", "target"), "real-code", library);
  }

  public static Set<String> files(String library) {
    Path root = root(library);
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals(".unpacked"))
          .map(p -> root.relativize(p).toString())
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<SourceFile> sources(String library) {
    List<SymbolExtractor> extractors = SymbolExtractor.all();
    Path root = root(library);
    List<SourceFile> sources = new ArrayList<>();
    for (String file : files(library).stream().sorted().toList()) {
      var extractor = SymbolExtractor.forLanguage(extractors, Languages.of(file));
      if (extractor.isPresent()) {
        try {
          extractor
              .get()
              .extract(file, Files.readString(root.resolve(file)))
              .ifPresent(sources::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return sources;
  }

  public static DocContext context(String library) {
    List<SourceFile> sources = sources(library);
    Set<String> files = files(library);
    return new DocContext(
        StructureExtractor.extract(library, sources, files, ScopeText.of(root(library), files)),
        sources,
        files,
        ScopeConfig.Output.DEFAULT.pagesDir(),
        library + " as published on Maven Central.");
  }
}
