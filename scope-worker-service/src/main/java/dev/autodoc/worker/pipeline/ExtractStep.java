package dev.autodoc.worker.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.autodoc.common.metrics.MetricNames;
import dev.autodoc.worker.WorkerConfig;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.structure.DocStructure;
import dev.autodoc.worker.docs.structure.ScopeText;
import dev.autodoc.worker.docs.structure.StructureExtractor;
import dev.autodoc.worker.docs.structure.Words;
import dev.autodoc.worker.docs.symbols.Declarations;
import dev.autodoc.worker.docs.symbols.ParseBudget;
import dev.autodoc.worker.docs.symbols.SourceFile;
import dev.autodoc.worker.docs.symbols.SymbolExtractor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.jboss.logging.Logger;

/**
 * Reads the declarations of the checked-out files with the parsers and turns them into the scope's
 * documentation structure. A file that does not parse, or that would take more work than the {@link
 * ParseBudget} allows, is documented by name only; the latter is counted in the scope's inventory
 * with its reason.
 */
@ApplicationScoped
public class ExtractStep implements PipelineStep {
  private static final Logger LOG = Logger.getLogger(ExtractStep.class);

  private final List<SymbolExtractor> extractors = SymbolExtractor.all();
  private final ParseBudget budget;

  /**
   * Declarations already read, by file content (its blob), path and language: the same bytes at the
   * same path read the same way, so a warm worker documenting a one-file change parses one file.
   * Bounded by the source bytes they came from; a parse stopped by its timeout depends on the load,
   * and is not kept.
   */
  private final Cache<ParseKey, Parsed> parsed;

  private record ParseKey(ObjectId blob, String path, String language) {}

  private final Counter parsedFiles;
  private final Counter reusedFiles;

  ExtractStep(WorkerConfig config, MeterRegistry registry) {
    this.parsedFiles =
        registry.counter(MetricNames.PARSED_FILES, MetricNames.TAG_OUTCOME, "parsed");
    this.reusedFiles =
        registry.counter(MetricNames.PARSED_FILES, MetricNames.TAG_OUTCOME, "reused");
    this.budget =
        new ParseBudget(
            config.parse().maxBytes(), config.parse().maxDeclarations(), config.parse().timeout());
    this.parsed =
        Caffeine.newBuilder()
            .maximumWeight(config.parse().cacheBytes())
            .<ParseKey, Parsed>weigher(
                (key, value) -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, value.bytes())))
            .build();
  }

  @Override
  public String name() {
    return "extract";
  }

  @Override
  public void run(ScopeContext context) throws IOException {
    Path root = context.workspace().resolve("files");
    // Files are parsed on every core (Cores), whichever scopes they belong to.
    List<Map.Entry<ScopeContext.ScannedFile, SymbolExtractor>> readable =
        context.files().stream()
            .flatMap(
                f ->
                    SymbolExtractor.forLanguage(extractors, f.language())
                        .map(extractor -> Map.entry(f, extractor))
                        .stream())
            .toList();
    List<Parsed> results;
    try {
      results = Cores.map(readable, r -> cachedParse(context, root, r.getKey(), r.getValue()));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<SourceFile> sources = new ArrayList<>();
    for (Parsed parsed : results) {
      parsed.source().ifPresent(sources::add);
      parsed.skipped().ifPresent(reason -> context.unparsed(parsed.path(), reason));
    }
    if (context.cancelled()) {
      return;
    }
    Set<String> files =
        context.files().stream()
            .map(ScopeContext.ScannedFile::scopePath)
            .collect(Collectors.toSet());
    String name = context.request().config().name();
    DocStructure structure =
        StructureExtractor.extract(name, sources, files, ScopeText.of(root, files));
    List<String> problems =
        dev.autodoc.worker.docs.structure.StructureSchema.problems(
            dev.autodoc.worker.docs.structure.StructureSchema.toJson(structure));
    if (!problems.isEmpty()) {
      throw new dev.autodoc.common.error.PermanentException(
          dev.autodoc.common.error.Reason.INTERNAL,
          "the documentation structure breaks its schema: " + String.join("; ", problems));
    }
    String pagesDir = context.request().config().output().pagesDir();
    context.extracted(
        new DocContext(structure, sources, files, pagesDir, purpose(root, files, name, sources)));
  }

  /** One file's declarations, or why they were not read; {@code bytes}: the file's size. */
  private record Parsed(
      String path, Optional<SourceFile> source, Optional<String> skipped, long bytes) {}

  private Parsed cachedParse(
      ScopeContext context, Path root, ScopeContext.ScannedFile file, SymbolExtractor extractor) {
    var key = new ParseKey(file.blob(), file.scopePath(), file.language());
    Parsed known = parsed.getIfPresent(key);
    if (known != null) {
      reusedFiles.increment();
      return known;
    }
    Parsed now = parse(context, root, file, extractor);
    parsedFiles.increment();
    if (!context.cancelled() && !now.skipped().equals(Optional.of(ParseBudget.TIMEOUT))) {
      parsed.put(key, now);
    }
    return now;
  }

  private Parsed parse(
      ScopeContext context, Path root, ScopeContext.ScannedFile file, SymbolExtractor extractor) {
    if (context.cancelled()) {
      return new Parsed(file.scopePath(), Optional.empty(), Optional.empty(), file.bytes());
    }
    try {
      budget.checkSize(file.bytes());
      // Lenient decoding: a file in another encoding still parses, stray bytes replaced.
      String content =
          new String(Files.readAllBytes(root.resolve(file.scopePath())), StandardCharsets.UTF_8);
      return new Parsed(
          file.scopePath(),
          ParseBudget.withinStack(() -> extractor.extract(file.scopePath(), content, budget)),
          Optional.empty(),
          file.bytes());
    } catch (ParseBudget.Exceeded e) {
      LOG.infof("%s: declarations not read, %s", file.scopePath(), e.getMessage());
      return new Parsed(file.scopePath(), Optional.empty(), Optional.of(e.reason()), file.bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first paragraph of the scope's own README, else a sentence made from what was found. */
  private static String purpose(Path root, Set<String> files, String name, List<SourceFile> sources)
      throws IOException {
    for (String readme : List.of("README.md", "readme.md", "README.markdown")) {
      if (files.contains(readme)) {
        String paragraph =
            dev.autodoc.worker.docs.symbols.DocText.firstParagraph(
                Files.readString(root.resolve(readme), StandardCharsets.UTF_8));
        if (!paragraph.isEmpty()) {
          return paragraph;
        }
      }
    }
    long types =
        Declarations.of(sources).stream().filter(s -> s.exported() && s.kind().isType()).count();
    return name
        + " holds "
        + Words.count(files.size(), "documented file")
        + "; "
        + Words.count(types, "public type")
        + (types == 1 ? " is" : " are")
        + " declared in its code.";
  }
}
