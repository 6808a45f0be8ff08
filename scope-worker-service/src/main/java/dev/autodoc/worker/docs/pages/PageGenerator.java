package dev.autodoc.worker.docs.pages;

import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.worker.docs.structure.PagePlan;
import java.util.List;

/** Writes one page of the structure, taking the findings of an earlier attempt into account. */
public interface PageGenerator {
  /** A page's Markdown and the LLM tokens writing it cost. */
  record Draft(String markdown, TokenUsage tokens) {}

  String generate(PagePlan page, DocContext context, List<String> feedback);

  /** The page with what it cost; the static writer costs nothing. */
  default Draft draft(PagePlan page, DocContext context, List<String> feedback) {
    return new Draft(generate(page, context, feedback), TokenUsage.NONE);
  }
}
