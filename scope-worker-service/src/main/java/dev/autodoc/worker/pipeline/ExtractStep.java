package dev.autodoc.worker.pipeline;

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
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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

  ExtractStep(WorkerConfig config) {
    this.budget =
        new ParseBudget(
            config.parse().maxBytes(), config.parse().maxDeclarations(), config.parse().timeout());
  }

  @Override
  public String name() {
    return "extract";
  }

  @Override
  public void run(ScopeContext context) throws IOException {
    Path root = context.workspace().resolve("files");
    List<SourceFile> sources = new ArrayList<>();
    for (ScopeContext.ScannedFile file : context.files()) {
      if (context.cancelled()) {
        return;
      }
      Optional<SymbolExtractor> extractor =
          SymbolExtractor.forLanguage(extractors, file.language());
      if (extractor.isPresent()) {
        try {
          budget.checkSize(file.bytes());
          // Lenient decoding: a file in another encoding still parses, stray bytes replaced.
          String content =
              new String(
                  Files.readAllBytes(root.resolve(file.scopePath())), StandardCharsets.UTF_8);
          ParseBudget.withinStack(() -> extractor.get().extract(file.scopePath(), content, budget))
              .ifPresent(sources::add);
        } catch (ParseBudget.Exceeded e) {
          LOG.infof("%s: declarations not read, %s", file.scopePath(), e.getMessage());
          context.unparsed(file.scopePath(), e.reason());
        }
      }
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
