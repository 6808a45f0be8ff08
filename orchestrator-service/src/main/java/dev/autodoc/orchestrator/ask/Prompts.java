package dev.autodoc.orchestrator.ask;

import java.util.List;

/**
 * The request {@code ask} sends the model: the question, the sources, and on a retry what failed.
 */
final class Prompts {
  private Prompts() {}

  static String question(
      String question, List<Evidence.Source> sources, String previous, AnswerCheck.Result failed) {
    var prompt = new StringBuilder("Question: ").append(question.strip()).append("\n\nSources:\n");
    for (var source : sources) {
      prompt
          .append("\n### Source ")
          .append(source.citation())
          .append(" (")
          .append(source.kind().equals("code") ? "code" : "documentation")
          .append(", commit ")
          .append(source.commit())
          .append(")\n");
      if (source.kind().equals("code")) {
        prompt.append("```\n").append(source.text()).append("```\n");
      } else {
        prompt.append(source.text());
      }
    }
    if (previous != null) {
      prompt.append("\nYour previous answer:\n\n").append(previous).append("\n\n");
      prompt.append("It failed these checks:\n");
      failed.findings().forEach(f -> prompt.append("- ").append(f.message()).append('\n'));
      prompt.append(
          "\nWrite the answer again from the sources only: fix or leave out every part a check"
              + " names.\n");
    }
    return prompt.toString();
  }
}
