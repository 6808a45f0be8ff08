package dev.autodoc.common.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeConfigParserTest {
  private static final String FILE = "services/payments/.autodoc.yaml";

  @Test
  void readsEveryKeyOfAFullFile() {
    String yaml =
        """
        version: 1
        name: payments
        include: ["**/*.java", "**/*.md"]
        exclude: ["**/generated/**"]
        output:
          readme: AGENTS.md
          pages_dir: ""
        agent:
          mode: llm
          quality_threshold: 0.85
          max_attempts: 2
        limits:
          max_file_bytes: 1024
          max_files: 10
        """;
    ScopeConfig config = ScopeConfigParser.parse(FILE, "services/payments", yaml);
    assertThat(config.name()).isEqualTo("payments");
    assertThat(config.include()).containsExactly("**/*.java", "**/*.md");
    assertThat(config.exclude()).containsExactly("**/generated/**");
    assertThat(config.output()).isEqualTo(new ScopeConfig.Output("AGENTS.md", ""));
    assertThat(config.agent()).isEqualTo(new ScopeConfig.Agent(ScopeConfig.AgentMode.LLM, 0.85, 2));
    assertThat(config.limits()).isEqualTo(new ScopeConfig.Limits(1024, 10));
  }

  @Test
  void llmsTxtIsWrittenUnlessTurnedOffAndOnlyBesidePublishedPages() {
    assertThat(ScopeConfigParser.parse(FILE, "x", "name: x\n").output().writesLlmsTxt()).isTrue();
    var off = ScopeConfigParser.parse(FILE, "x", "output:\n  llms_txt: false\n").output();
    assertThat(off.llmsTxt()).isFalse();
    assertThat(off.writesLlmsTxt()).isFalse();
    assertThat(ScopeConfigParser.parse(FILE, "x", "output:\n  llms_txt: yes\n").output().llmsTxt())
        .isTrue();
    // Without a pages directory the pages stay out of the pull request, and so does their index.
    assertThat(
            ScopeConfigParser.parse(FILE, "x", "output:\n  pages_dir: ''\n")
                .output()
                .writesLlmsTxt())
        .isFalse();
    assertThat(ScopeConfigParser.problems(FILE, "x", "output:\n  llms_txt: sometimes\n"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(2);
              assertThat(p.field()).isEqualTo("output.llms_txt");
              assertThat(p.message()).isEqualTo("must be true or false");
            });
    // An event written before the switch existed has no value for it: on.
    assertThat(new ScopeConfig.Output("AGENTS.md", "docs", null).llmsTxt()).isTrue();
  }

  @Test
  void anEmptyFileMeansDefaultsNamedAfterTheDirectory() {
    ScopeConfig config = ScopeConfigParser.parse(FILE, "services/payments", "");
    assertThat(config).isEqualTo(ScopeConfig.defaults("services/payments"));
    assertThat(ScopeConfigParser.parse(".autodoc.yaml", "", "# nothing\n").name()).isEqualTo(".");
  }

  @Test
  void anUnknownKeyIsNamedWithItsLine() {
    String yaml = "version: 1\nagent:\n  mode: static\n  quality_treshold: 0.5\n";
    assertThat(ScopeConfigParser.problems(FILE, "x", yaml))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(4);
              assertThat(p.field()).isEqualTo("agent.quality_treshold");
              assertThat(p.message()).contains("unknown key").contains("quality_threshold");
            });
  }

  @Test
  void everyProblemIsReportedAtOnceWithFileLineAndField() {
    String yaml =
        """
        version: 2
        agent:
          mode: clever
          quality_threshold: 1.5
        limits:
          max_files: -3
        include: "**/*.java"
        """;
    assertThatThrownBy(() -> ScopeConfigParser.parse(FILE, "x", yaml))
        .isInstanceOfSatisfying(
            PermanentException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_SCOPE_CONFIG))
        .hasMessageContaining(FILE + ":1: field 'version': must be between 1 and 1, was 2")
        .hasMessageContaining(FILE + ":3: field 'agent.mode': must be 'static' or 'llm'")
        .hasMessageContaining(FILE + ":4: field 'agent.quality_threshold': must be between 0 and 1")
        .hasMessageContaining(FILE + ":6: field 'limits.max_files': must be between 1")
        .hasMessageContaining(FILE + ":7: field 'include': must be a list of globs");
  }

  @Test
  void brokenYamlNamesTheLineOfTheSyntaxError() {
    String yaml = "version: 1\nname: [unclosed\nagent:\n  mode: static\n";
    List<ConfigProblem> problems = ScopeConfigParser.problems(FILE, "x", yaml);
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).startsWith("not valid YAML");
              assertThat(p.line()).isGreaterThanOrEqualTo(3);
            });
  }

  @Test
  void aDuplicateKeyIsAnError() {
    assertThat(ScopeConfigParser.problems(FILE, "x", "name: a\nname: b\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("duplicate key"));
  }

  @Test
  void globsAndOutputPathsCannotLeaveTheScope() {
    String yaml =
        """
        include: ["../secrets/**", "/etc/**", "ok/**"]
        output:
          readme: ../README.md
          pages_dir: /tmp/docs
        """;
    List<ConfigProblem> problems = ScopeConfigParser.problems(FILE, "x", yaml);
    // A leading '/' anchors a glob at the scope's root, as in .gitignore: it stays inside.
    assertThat(problems)
        .extracting(ConfigProblem::field)
        .containsExactly("include[0]", "output.readme", "output.pages_dir");
  }

  @Test
  void aScalarWhereAMappingBelongsIsNamed() {
    assertThat(ScopeConfigParser.problems(FILE, "x", "just a string"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("must be a mapping"));
    assertThat(ScopeConfigParser.problems(FILE, "x", "agent: fast\n"))
        .singleElement()
        .satisfies(p -> assertThat(p.field()).isEqualTo("agent"));
  }

  @Test
  void anOversizedFileIsRefusedBeforeParsing() {
    String yaml = "name: x\n" + "#".repeat(ScopeConfigParser.MAX_FILE_BYTES);
    assertThat(ScopeConfigParser.problems(FILE, "x", yaml))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("larger than"));
  }
}
