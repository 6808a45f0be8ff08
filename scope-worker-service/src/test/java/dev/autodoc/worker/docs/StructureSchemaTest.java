package dev.autodoc.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodoc.worker.docs.structure.DocStructure;
import dev.autodoc.worker.docs.structure.StructureSchema;
import org.junit.jupiter.api.Test;

class StructureSchemaTest {
  @Test
  void theStructureOfARealLibraryIsValidAndSurvivesTheRoundTrip() {
    DocStructure structure = RealCode.context("gson").structure();
    var json = StructureSchema.toJson(structure);
    assertThat(StructureSchema.problems(json)).isEmpty();
    assertThat(StructureSchema.parse(json.toString())).isEqualTo(structure);
  }

  @Test
  void aStructureThatBreaksTheSchemaIsRefusedWithEveryProblemNamed() {
    String json =
        """
        {"scope": "x", "pages": [{"path": "../escape.txt", "title": "", "kind": "CHAPTER", "module": "", "purpose": "p",
          "sourceFiles": [], "ownedSymbols": []}], "moduleDependencies": {}, "buildCommands": [], "extra": 1}""";
    assertThatThrownBy(() -> StructureSchema.parse(json))
        .hasMessageContaining("path")
        .hasMessageContaining("title")
        .hasMessageContaining("kind")
        .hasMessageContaining("extra");
    assertThatThrownBy(() -> StructureSchema.parse("{not json")).hasMessageContaining("not JSON");
  }
}
