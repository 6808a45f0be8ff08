package dev.autodoc.common.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GlobsTest {
  @Test
  void aLeadingDoubleStarAlsoMatchesAtTheTop() {
    Globs java = Globs.of(List.of("**/*.java"));
    assertThat(java.matches("Main.java")).isTrue();
    assertThat(java.matches("a/b/Main.java")).isTrue();
    assertThat(java.matches("Main.kt")).isFalse();
  }

  @Test
  void directoryGlobsMatchEverythingBelow() {
    Globs generated = Globs.of(List.of("**/generated/**"));
    assertThat(generated.matches("src/generated/A.java")).isTrue();
    assertThat(generated.matches("generated/x/B.java")).isTrue();
    assertThat(generated.matches("src/gen/A.java")).isFalse();
  }

  @Test
  void problemsNameWhatIsWrong() {
    assertThat(Globs.problem("**/*.java")).isNull();
    assertThat(Globs.problem("../x")).contains("'..'");
    assertThat(Globs.problem("/abs")).contains("relative");
    assertThat(Globs.problem("src/[a-")).contains("not valid");
  }
}
