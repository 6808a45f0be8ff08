package dev.autodoc.common.scope;

import java.util.List;

/**
 * A scope's {@code .autodoc.yaml}, with every default applied. See the design's "Scope
 * configuration" for the file format; {@link ScopeConfigParser} reads and validates it.
 */
public record ScopeConfig(
    int version,
    String name,
    List<String> include,
    List<String> exclude,
    Output output,
    Agent agent,
    Limits limits) {

  public static final String FILE_NAME = ".autodoc.yaml";
  public static final int CURRENT_VERSION = 1;

  public ScopeConfig {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }

  /** The configuration of a scope without a file (the implicit root scope), named {@code name}. */
  public static ScopeConfig defaults(String name) {
    return new ScopeConfig(
        CURRENT_VERSION, name, List.of(), List.of(), Output.DEFAULT, Agent.DEFAULT, Limits.DEFAULT);
  }

  /**
   * Where the documentation goes: the README for agents, the pages' directory ({@code ""}: pages
   * stay out of the pull request), and whether {@code llms.txt} and {@code llms-full.txt} go beside
   * the pages (on unless turned off; an event from before the switch existed has it on).
   */
  public record Output(String readme, String pagesDir, Boolean llmsTxt) {
    public static final Output DEFAULT = new Output("AGENTS.md", "docs/autodoc", true);

    public Output {
      llmsTxt = llmsTxt == null || llmsTxt;
    }

    public Output(String readme, String pagesDir) {
      this(readme, pagesDir, true);
    }

    /** Whether llms.txt and llms-full.txt are written: asked for, and pages are published. */
    public boolean writesLlmsTxt() {
      return llmsTxt && !pagesDir.isEmpty();
    }

    /** What goes before a page's path to place it in the scope: {@code "<pages_dir>/"}, or none. */
    public String pagesPrefix() {
      return pagesDir.isEmpty() ? "" : pagesDir + "/";
    }

    /**
     * Whether a scope-relative file is documentation this scope writes (its README or a page):
     * never documented itself, and never a change to the code.
     */
    public boolean holds(String relativePath) {
      return relativePath.equals(readme)
          || !pagesDir.isEmpty() && relativePath.startsWith(pagesDir + "/");
    }
  }

  /** Which agent documents the scope, and its quality loop. */
  public record Agent(AgentMode mode, double qualityThreshold, int maxAttempts) {
    public static final Agent DEFAULT = new Agent(AgentMode.STATIC, 0.7, 3);
  }

  /** Bounds on what the scan accepts. */
  public record Limits(long maxFileBytes, int maxFiles) {
    public static final Limits DEFAULT = new Limits(262_144, 5_000);
  }

  public enum AgentMode {
    STATIC,
    LLM
  }
}
