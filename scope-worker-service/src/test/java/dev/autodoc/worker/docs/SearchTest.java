package dev.autodoc.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.support.embedding.LocalEmbedder;
import dev.autodoc.worker.docs.embeddings.Chunk;
import dev.autodoc.worker.docs.embeddings.Chunker;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.PagePlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Gson's pages, chunked and embedded with the local model, find what a reader searches for. */
class SearchTest {
  private static final LocalEmbedder EMBEDDER = LocalEmbedder.shared();
  private static List<Chunk> chunks;
  private static List<PagePlan> pages;
  private static List<float[]> vectors;

  @BeforeAll
  static void embedGsonsPages() {
    DocContext context = RealCode.context("gson");
    var generator = new StaticPageGenerator();
    var chunker = new Chunker(EMBEDDER);
    chunks = new ArrayList<>();
    pages = context.structure().pages();
    for (PagePlan plan : context.structure().pages()) {
      chunks.addAll(
          chunker.chunk(plan.path(), plan.title(), generator.generate(plan, context, List.of())));
    }
    vectors = EMBEDDER.embed(chunks.stream().map(Chunk::text).toList());
  }

  @Test
  void everyChunkStaysInsideTheModelsWindow() {
    assertThat(chunks).hasSizeGreaterThan(20);
    assertThat(chunks)
        .allSatisfy(
            c -> {
              assertThat(c.tokens()).isEqualTo(EMBEDDER.countTokens(c.text()));
              assertThat(c.tokens())
                  .as(c.pagePath() + " " + c.heading())
                  .isLessThanOrEqualTo(EMBEDDER.maxTokens());
            });
    // Chunks are packed: those cut from one section fill most of the window.
    var bySection =
        chunks.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(c -> c.pagePath() + "\0" + c.heading()));
    var cut = bySection.values().stream().filter(list -> list.size() > 1).toList();
    assertThat(cut).isNotEmpty();
    double full =
        cut.stream()
            .flatMap(section -> section.subList(0, section.size() - 1).stream())
            .mapToInt(Chunk::tokens)
            .average()
            .orElse(0);
    assertThat(full).isGreaterThan(EMBEDDER.maxTokens() * 0.6);
    // The big module page is cut into several chunks, each saying where it comes from.
    assertThat(chunks.stream().filter(c -> c.pagePath().equals("modules/com.google.gson.md")))
        .hasSizeGreaterThan(10)
        .allSatisfy(c -> assertThat(c.text()).startsWith("com.google.gson"));
  }

  @Test
  void chunkingLosesNoLineOfAPage() {
    DocContext context = RealCode.context("gson");
    var generator = new StaticPageGenerator();
    for (PagePlan plan : context.structure().pages()) {
      String markdown = generator.generate(plan, context, List.of());
      String chunked =
          chunks.stream()
              .filter(c -> c.pagePath().equals(plan.path()))
              .map(Chunk::text)
              .collect(java.util.stream.Collectors.joining("\n"));
      for (String line : markdown.split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          assertThat(chunked).as(plan.path()).contains(line.strip());
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "JsonReader, com.google.gson.stream.JsonReader",
    "JsonWriter, com.google.gson.stream.JsonWriter",
    "TypeToken, com.google.gson.reflect.TypeToken",
    "GsonBuilder, com.google.gson.GsonBuilder",
    "SerializedName, com.google.gson.annotations.SerializedName",
    "FieldAttributes, com.google.gson.FieldAttributes"
  })
  void searchingATypesNameFindsItsPageInTheTopThree(String query, String type) {
    // The page that owns the type: its module page, or its own page as a key component.
    String page =
        pages.stream()
            .filter(p -> p.ownedSymbols().contains(type))
            .map(PagePlan::path)
            .findFirst()
            .orElseThrow();
    float[] q = EMBEDDER.embed(List.of(query)).getFirst();
    List<String> top = new ArrayList<>();
    java.util.stream.IntStream.range(0, chunks.size())
        .boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -dot(q, vectors.get(i))))
        .map(i -> chunks.get(i).pagePath())
        .distinct()
        .limit(3)
        .forEach(top::add);
    assertThat(top).as(query).contains(page);
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
