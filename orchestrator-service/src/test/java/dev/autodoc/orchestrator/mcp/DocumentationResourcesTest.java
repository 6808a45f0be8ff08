package dev.autodoc.orchestrator.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentationResourcesTest {
  /** Three repositories of 3, 0 and 5 resources: 8 in the list. */
  private static final List<Long> SIZES = List.of(3L, 0L, 5L);

  @Test
  void eachPartOfTheListReadsOnlyTheRepositoriesItReaches() {
    assertThat(reach(0, 3)).isEqualTo("[[0, 3], null, null]");
    assertThat(reach(3, 6)).isEqualTo("[null, null, [0, 3]]");
    assertThat(reach(6, 9)).isEqualTo("[null, null, [3, 5]]");
    assertThat(reach(2, 5)).isEqualTo("[[2, 3], null, [0, 2]]");
    assertThat(reach(8, 11)).isEqualTo("[null, null, null]");
  }

  private static String reach(int from, int until) {
    return Arrays.deepToString(DocumentationResources.reach(SIZES, from, until));
  }
}
