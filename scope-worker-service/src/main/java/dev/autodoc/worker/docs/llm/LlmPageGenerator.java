package dev.autodoc.worker.docs.llm;

import dev.autodoc.support.llm.LlmClient;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.PageGenerator;
import dev.autodoc.worker.docs.pages.QualityScorer;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a page with the LLM, grounded in what the parsers found: the page's plan, every symbol it
 * owns (signature, doc summary, file and line, with the link to use), the pages and files it may
 * link to, and the build commands. Findings of an earlier attempt go back into the prompt, so the
 * quality loop drives the model the way it drives the static writer.
 */
public final class LlmPageGenerator implements PageGenerator {
  // A page must mention every symbol it owns, so the prompt lists them all up to a size no model
  // window refuses (about 30k tokens).
  private static final int MAX_SYMBOLS = 400;
  private static final String SYSTEM =
      "You write one page of a software project's documentation in GitHub Markdown. State only"
          + " what the facts say. Rules: start with exactly one '# ' title; use '## ' for the"
          + " required sections, named exactly as given; never skip a heading level. Put a name in"
          + " backticks only when it is one of the declared names given; mention every symbol the"
          + " page owns in backticks. Link only to the link targets given, exactly as written."
          + " A Mermaid diagram goes in a ```mermaid fence and names only declared types."
          + " Answer with the page's Markdown and nothing else.";

  private final LlmClient client;

  public LlmPageGenerator(LlmClient client) {
    this.client = client;
  }

  @Override
  public String generate(PagePlan page, DocContext context, List<String> feedback) {
    return draft(page, context, feedback).markdown();
  }

  @Override
  public Draft draft(PagePlan page, DocContext context, List<String> feedback) {
    String prompt = facts(page, context);
    if (!feedback.isEmpty()) {
      prompt +=
          "\nThe previous version of this page was scored with these findings; fix every one:\n- "
              + String.join("\n- ", feedback)
              + "\n";
    }
    LlmClient.Reply reply = client.chat(SYSTEM, prompt, false);
    return new Draft(LlmStructurePlanner.stripFence(reply.text()) + "\n", reply.tokens());
  }

  static String facts(PagePlan page, DocContext context) {
    var text = new StringBuilder();
    text.append("Page: ").append(page.title()).append(" (").append(page.path()).append(")\n");
    text.append("Kind: ").append(page.kind().name().toLowerCase(Locale.ROOT)).append('\n');
    text.append("Purpose: ").append(page.purpose()).append('\n');
    text.append("Required sections: ")
        .append(String.join(", ", QualityScorer.requiredSections(page.kind())))
        .append('\n');
    if (page.kind() == PagePlan.Kind.OVERVIEW) {
      text.append("Scope purpose: ").append(context.purpose()).append('\n');
      text.append("Build and test commands:\n");
      context.structure().buildCommands().forEach(c -> text.append("  ").append(c).append('\n'));
      text.append("Module dependencies (module: modules it imports):\n");
      for (Map.Entry<String, List<String>> e :
          context.structure().moduleDependencies().entrySet()) {
        text.append("  ")
            .append(e.getKey())
            .append(": ")
            .append(String.join(", ", e.getValue()))
            .append('\n');
      }
    }
    text.append("\nSymbols this page owns (kind | name | signature | summary | link):\n");
    List<Symbol> symbols = context.symbolsOf(page);
    symbols.stream()
        .limit(MAX_SYMBOLS)
        .forEach(
            s ->
                text.append("- ")
                    .append(s.kind().name().toLowerCase(Locale.ROOT))
                    .append(" | ")
                    .append(s.name())
                    .append(" | ")
                    .append(s.signature().replace('\n', ' '))
                    .append(" | ")
                    .append(s.summary())
                    .append(" | ")
                    .append(context.sourceLink(page, s))
                    .append('\n'));
    if (symbols.size() > MAX_SYMBOLS) {
      text.append("(and ").append(symbols.size() - MAX_SYMBOLS).append(" more)\n");
    }
    text.append("\nLink targets: pages\n");
    for (PagePlan other : context.structure().pages()) {
      if (!other.path().equals(page.path())) {
        text.append("- ")
            .append(other.title())
            .append(": ")
            .append(context.link(page, other.path(), true))
            .append('\n');
      }
    }
    text.append("Link targets: source files\n");
    page.sourceFiles()
        .forEach(f -> text.append("- ").append(context.link(page, f, false)).append('\n'));
    return text.toString();
  }
}
