package dev.autodoc.orchestrator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SymbolIndexTest {
  @Test
  void findSymbolsSchemaOffersExactlyTheKindsTheIndexKnows() throws Exception {
    JsonNode schema;
    try (var in = getClass().getResourceAsStream("/mcp/find_symbol.input.json")) {
      schema = new ObjectMapper().readTree(in);
    }
    List<String> offered = new ArrayList<>();
    schema.path("properties").path("kind").path("enum").forEach(k -> offered.add(k.asText()));
    assertThat(offered).containsExactlyElementsOf(SymbolIndex.KINDS).contains("MODULE", "METHOD");
  }

  @Test
  void longerNamesMayBeFurtherFromTheQuery() {
    assertThat(SymbolIndex.allowedEdits("Opt")).isEqualTo(1);
    assertThat(SymbolIndex.allowedEdits("HelpFormater")).isEqualTo(3);
  }

  @Test
  void aQueryIsMatchedLiterallyNotAsAPattern() {
    assertThat(SymbolIndex.likeLiteral("ts_parser_new")).isEqualTo("ts\\_parser\\_new");
    assertThat(SymbolIndex.likeLiteral("100%\\")).isEqualTo("100\\%\\\\");
  }
}
