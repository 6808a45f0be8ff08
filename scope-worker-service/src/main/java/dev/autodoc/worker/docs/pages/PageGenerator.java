package dev.autodoc.worker.docs.pages;

import dev.autodoc.worker.docs.structure.PagePlan;
import java.util.List;

/** Writes one page of the structure, taking the findings of an earlier attempt into account. */
public interface PageGenerator {
  String generate(PagePlan page, DocContext context, List<String> feedback);
}
