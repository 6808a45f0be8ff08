package dev.autodoc.worker.docs.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.support.llm.LlmClient;
import dev.autodoc.worker.docs.AgentSession;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.structure.DocStructure;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.structure.StructureExtractor;
import dev.autodoc.worker.docs.structure.StructureSchema;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Asks the LLM for the scope's documentation structure. The prompt gives it the structure the
 * parsers proposed and the declarations behind it; the answer must be JSON that passes the same
 * schema as the static structure, and it must stay grounded: the overview first, only files and
 * symbols of the scope, every page of the proposal's symbols still owned by some page. An answer
 * that fails is sent back with its problems, up to the attempts allowed; module dependencies and
 * build commands are facts from the parsers and are kept as they are.
 */
public final class LlmStructurePlanner {
  private static final String SCHEMA = schemaText();
  private static final int SYMBOLS_PER_MODULE = 80;

  private final LlmClient client;

  public LlmStructurePlanner(LlmClient client) {
    this.client = client;
  }

  /** The planned structure and what planning cost. */
  public record Planned(DocStructure structure, TokenUsage tokens) {}

  public Planned plan(DocContext context, int maxAttempts, Consumer<AgentSession.Step> steps) {
    String system =
        "You plan the documentation of one scope of a software repository. Answer with a single"
            + " JSON object that validates against this JSON Schema:\n"
            + SCHEMA
            + "\nRules: the first page is the overview, path \""
            + StructureExtractor.OVERVIEW
            + "\", kind OVERVIEW. Module pages have kind MODULE and paths under modules/. Use only"
            + " source files and symbol names that appear in the proposal. Every symbol the"
            + " proposal's pages own must be owned by one of your pages. You may retitle pages,"
            + " write better purposes, and split or merge module pages.";
    String facts = facts(context);
    List<String> problems = List.of();
    TokenUsage tokens = TokenUsage.NONE;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      long started = System.nanoTime();
      String user =
          problems.isEmpty()
              ? facts
              : facts
                  + "\n\nYour previous answer was refused for these problems; fix every one:\n- "
                  + String.join("\n- ", problems);
      LlmClient.Reply reply = client.chat(system, user, true);
      tokens = tokens.plus(reply.tokens());
      DocStructure structure = null;
      try {
        structure = parse(reply.text(), context);
        problems = grounding(structure, context);
      } catch (IllegalArgumentException e) {
        problems = List.of(e.getMessage());
      }
      steps.accept(
          new AgentSession.Step(
              attempt,
              problems.isEmpty() ? 1 : 0,
              problems,
              (System.nanoTime() - started) / 1_000_000));
      if (problems.isEmpty()) {
        return new Planned(structure, tokens);
      }
    }
    throw new PermanentException(
        Reason.LLM_INVALID_OUTPUT,
        "the LLM's documentation structure was refused "
            + maxAttempts
            + " times; last problems: "
            + String.join("; ", problems));
  }

  private static DocStructure parse(String text, DocContext context) {
    DocStructure answer = StructureSchema.parse(stripFence(text));
    DocStructure proposal = context.structure();
    return new DocStructure(
        proposal.scope(), answer.pages(), proposal.moduleDependencies(), proposal.buildCommands());
  }

  /** What makes a schema-valid structure unusable: anything not taken from the scope. */
  static List<String> grounding(DocStructure structure, DocContext context) {
    List<String> problems = new ArrayList<>();
    List<PagePlan> pages = structure.pages();
    if (pages.isEmpty()
        || !pages.getFirst().path().equals(StructureExtractor.OVERVIEW)
        || pages.getFirst().kind() != PagePlan.Kind.OVERVIEW) {
      problems.add("the first page must be the overview at " + StructureExtractor.OVERVIEW);
    }
    Set<String> paths = new HashSet<>();
    Set<String> known = new HashSet<>();
    context.symbols().forEach(s -> known.add(s.qualifiedName()));
    Set<String> owned = new HashSet<>();
    for (PagePlan page : pages) {
      if (!paths.add(page.path())) {
        problems.add("two pages share the path " + page.path());
      }
      if (page.path().contains("..") || page.path().startsWith("/")) {
        problems.add("page path " + page.path() + " leaves the pages directory");
      }
      page.sourceFiles().stream()
          .filter(f -> !context.files().contains(f))
          .forEach(
              f -> problems.add("page " + page.path() + " names a file the scope lacks: " + f));
      page.ownedSymbols().stream()
          .filter(s -> !known.contains(s))
          .forEach(
              s -> problems.add("page " + page.path() + " owns a symbol the code lacks: " + s));
      owned.addAll(page.ownedSymbols());
    }
    context.structure().pages().stream()
        .flatMap(p -> p.ownedSymbols().stream())
        .filter(s -> !owned.contains(s))
        .distinct()
        .limit(20)
        .forEach(s -> problems.add("no page owns " + s));
    return problems;
  }

  /** The proposal and the declarations behind it, as the prompt's facts. */
  private static String facts(DocContext context) {
    var text = new StringBuilder("Scope: ").append(context.structure().scope()).append('\n');
    text.append("Purpose: ").append(context.purpose()).append("\n\nProposal from the parsers:\n");
    text.append(StructureSchema.toJson(context.structure()).toString()).append('\n');
    text.append("\nDeclarations of the proposal's pages (kind, name, summary):\n");
    for (PagePlan page : context.structure().pages()) {
      List<Symbol> symbols = context.symbolsOf(page);
      if (symbols.isEmpty()) {
        continue;
      }
      text.append("## ").append(page.path()).append('\n');
      Set<String> seen = new LinkedHashSet<>();
      // Types first, all of them; members while room is left.
      symbols.stream()
          .sorted(java.util.Comparator.comparing((Symbol s) -> !s.kind().isType()))
          .filter(s -> seen.add(s.qualifiedName()))
          .limit(
              Math.max(SYMBOLS_PER_MODULE, symbols.stream().filter(s -> s.kind().isType()).count()))
          .forEach(
              s ->
                  text.append("- ")
                      .append(s.kind().name().toLowerCase(java.util.Locale.ROOT))
                      .append(' ')
                      .append(s.qualifiedName())
                      .append(s.summary().isEmpty() ? "" : ": " + s.summary())
                      .append('\n'));
    }
    return text.toString();
  }

  /** The answer without a Markdown code fence around it, which some models add. */
  static String stripFence(String text) {
    String trimmed = text.strip();
    if (trimmed.startsWith("```")) {
      int newline = trimmed.indexOf('\n');
      int end = trimmed.lastIndexOf("```");
      if (newline > 0 && end > newline) {
        return trimmed.substring(newline + 1, end).strip();
      }
    }
    return trimmed;
  }

  private static String schemaText() {
    try (InputStream in =
        LlmStructurePlanner.class.getResourceAsStream("/schemas/doc-structure.schema.json")) {
      JsonNode schema =
          EventCodec.json().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return EventCodec.json().writeValueAsString(schema);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
