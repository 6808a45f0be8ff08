package dev.autodoc.worker.docs;

import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.Page;
import dev.autodoc.worker.docs.pages.QualityLoop;
import dev.autodoc.worker.docs.pages.QualityScorer;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.StructureExtractor;
import dev.autodoc.worker.docs.symbols.JavaSymbolExtractor;
import dev.autodoc.worker.docs.symbols.SourceFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Throughput and memory of the documentation engine on a real tree of 1,563 Java files (JGit and
 * Guava sources). Run with {@code -Pbench}; it prints numbers and asserts nothing about time. Each
 * phase runs twice: the first run includes JIT warm-up, the second is steady state.
 */
class DocumentationBenchmark {
  private static final int EMBEDDED_CHUNKS = 640;
  private static final Path ROOT =
      Path.of(System.getProperty("autodoc.build.dir", "target"), "bench-code");

  private static final dev.langchain4j.model.embedding.onnx.bgesmallenv15q
          .BgeSmallEnV15QuantizedEmbeddingModel
      RAW_MODEL =
          new dev.langchain4j.model.embedding.onnx.bgesmallenv15q
              .BgeSmallEnV15QuantizedEmbeddingModel();

  @Test
  void printThroughputAndPeakMemory() throws IOException {
    Map<String, String> files = read();
    System.out.printf(
        Locale.ROOT,
        "%nbenchmark tree: %d Java files, %.1f MiB of source%n",
        files.size(),
        files.values().stream().mapToLong(String::length).sum() / 1048576.0);
    for (int run = 1; run <= 2; run++) {
      resetPeaks();
      long start = System.nanoTime();
      List<SourceFile> sources = new ArrayList<>();
      var extractor = new JavaSymbolExtractor();
      files.forEach((path, content) -> extractor.extract(path, content).ifPresent(sources::add));
      double extractSeconds = (System.nanoTime() - start) / 1e9;
      long symbols = sources.stream().mapToLong(s -> s.symbols().size()).sum();

      start = System.nanoTime();
      Set<String> all = new HashSet<>(files.keySet());
      var context =
          new DocContext(
              StructureExtractor.extract(
                  "bench", sources, all, dev.autodoc.worker.docs.structure.ScopeText.NONE),
              sources,
              all,
              "docs/autodoc",
              "Benchmark tree.");
      var loop = new QualityLoop(new StaticPageGenerator(), new QualityScorer());
      List<Page> pages =
          context.structure().pages().stream().map(p -> loop.run(p, context, 0.7, 3)).toList();
      ReadmeDistiller.distill(ScopeConfig.defaults("bench"), context);
      double pageSeconds = (System.nanoTime() - start) / 1e9;

      // Embedding: chunk and embed every page through our path, then the same chunk texts straight
      // through the raw langchain4j model, to show what chunking and normalizing cost on top.
      var embedder = dev.autodoc.support.embedding.LocalEmbedder.shared();
      start = System.nanoTime();
      var chunker = new dev.autodoc.worker.docs.embeddings.Chunker(embedder);
      List<String> chunked = new ArrayList<>();
      for (Page page : pages) {
        chunker
            .chunk(page.path(), page.title(), page.markdown())
            .forEach(c -> chunked.add(c.text()));
      }
      double chunkSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "run %d: chunk %d pages into %d chunks in %.2f s%n",
          run,
          pages.size(),
          chunked.size(),
          chunkSeconds);
      // The model's throughput is the same on any chunks: a sample keeps the run short.
      List<String> texts = chunked.subList(0, Math.min(chunked.size(), EMBEDDED_CHUNKS));
      start = System.nanoTime();
      for (int from = 0; from < texts.size(); from += 32) {
        embedder.embed(texts.subList(from, Math.min(texts.size(), from + 32)));
      }
      double embedSeconds = (System.nanoTime() - start) / 1e9;
      start = System.nanoTime();
      for (int from = 0; from < texts.size(); from += 32) {
        RAW_MODEL.embedAll(
            texts.subList(from, Math.min(texts.size(), from + 32)).stream()
                .map(dev.langchain4j.data.segment.TextSegment::from)
                .toList());
      }
      double rawSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "run %d: embed %d chunks in %.2f s = %.1f chunks/s; raw model on the same chunks %.2f s = %.1f chunks/s (throughput ratio %.2f)%n",
          run,
          texts.size(),
          embedSeconds,
          texts.size() / embedSeconds,
          rawSeconds,
          texts.size() / rawSeconds,
          rawSeconds / embedSeconds);

      System.out.printf(
          Locale.ROOT,
          "run %d: extract %,d symbols from %,d files in %.2f s = %,.0f symbols/s (%,.0f files/s); "
              + "%d pages (mean score %.3f, %d attempts) in %.2f s = %.1f pages/s; peak heap %.0f MiB%n",
          run,
          symbols,
          sources.size(),
          extractSeconds,
          symbols / extractSeconds,
          sources.size() / extractSeconds,
          pages.size(),
          pages.stream().mapToDouble(Page::score).average().orElse(0),
          pages.stream().mapToInt(Page::attempts).sum(),
          pageSeconds,
          pages.size() / pageSeconds,
          peakHeap() / 1048576.0);
    }
  }

  /**
   * tree-sitter throughput on the published code of the tests (rxjs with its built JavaScript,
   * node-gyp, edge-js, the tree-sitter library, cobra, semver), by language.
   */
  @Test
  void printTreeSitterThroughput() throws IOException {
    var extractors = dev.autodoc.worker.docs.symbols.SymbolExtractor.all();
    Map<String, Map<String, String>> byLanguage = new java.util.TreeMap<>();
    for (String library :
        List.of(
            RealCode.RXJS,
            RealCode.NODE_GYP,
            RealCode.EDGE_JS,
            RealCode.TREE_SITTER,
            RealCode.COBRA,
            RealCode.SEMVER)) {
      Path root = RealCode.root(library);
      for (String file : RealCode.files(library)) {
        String language = dev.autodoc.worker.pipeline.Languages.of(file);
        if (!language.equals("java")
            && dev.autodoc.worker.docs.symbols.SymbolExtractor.forLanguage(extractors, language)
                .isPresent()) {
          byLanguage
              .computeIfAbsent(language, l -> new java.util.TreeMap<>())
              .put(library + "/" + file, Files.readString(root.resolve(file)));
        }
      }
    }
    for (int run = 1; run <= 2; run++) {
      resetPeaks();
      long files = 0;
      long symbols = 0;
      long bytes = 0;
      long start = System.nanoTime();
      var line = new StringBuilder();
      for (var entry : byLanguage.entrySet()) {
        var extractor =
            dev.autodoc.worker.docs.symbols.SymbolExtractor.forLanguage(extractors, entry.getKey())
                .orElseThrow();
        long languageStart = System.nanoTime();
        long languageSymbols = 0;
        for (var file : entry.getValue().entrySet()) {
          languageSymbols +=
              extractor
                  .extract(file.getKey(), file.getValue())
                  .map(s -> s.symbols().size())
                  .orElse(0);
          bytes += file.getValue().length();
        }
        double seconds = (System.nanoTime() - languageStart) / 1e9;
        line.append(
            String.format(
                Locale.ROOT,
                " %s %d files %,.0f symbols/s;",
                entry.getKey(),
                entry.getValue().size(),
                languageSymbols / seconds));
        files += entry.getValue().size();
        symbols += languageSymbols;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "tree-sitter run %d: %,d symbols from %,d files (%.1f MiB) in %.2f s = %,.0f symbols/s,"
              + " %,.0f files/s; peak heap %.0f MiB;%s%n",
          run,
          symbols,
          files,
          bytes / 1048576.0,
          seconds,
          symbols / seconds,
          files / seconds,
          peakHeap() / 1048576.0,
          line);
    }
  }

  private static Map<String, String> read() throws IOException {
    var files = new java.util.TreeMap<String, String>();
    try (Stream<Path> all = Files.walk(ROOT)) {
      for (Path p : (Iterable<Path>) all.filter(f -> f.toString().endsWith(".java"))::iterator) {
        files.put(ROOT.relativize(p).toString(), Files.readString(p));
      }
    }
    return files;
  }

  private static void resetPeaks() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long peakHeap() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed())
        .sum();
  }
}
