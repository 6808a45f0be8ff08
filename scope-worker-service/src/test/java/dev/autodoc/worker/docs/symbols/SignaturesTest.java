package dev.autodoc.worker.docs.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignaturesTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // code | max | kept
        "def create_connection(address_family, timeout_seconds) | 30 | def create_connection(",
        "def create_connection(address_family, timeout_seconds) | 20 | def",
        "public Map.Entry<String, Integer> entryOf(Object k) | 18 | public Map.Entry<",
        "fn parse(input: &str, options: Options) -> Result | 40 | fn parse(input: &str, options: Options)",
        "def f(sep = 'a very long default, with commas') | 30 | def f(sep =",
        "int x42y | 6 | int",
      })
  void shortensOnlyBetweenTokens(String code, int max, String kept) {
    Signatures.Shortened shortened = Signatures.shorten(code, max);
    assertThat(shortened.cut()).isTrue();
    assertThat(shortened.code()).isEqualTo(kept);
    assertThat(code).startsWith(shortened.code());
    assertThat(shortened.code().length()).isLessThanOrEqualTo(max);
  }

  @Test
  void aSignatureThatFitsIsKeptWhole() {
    assertThat(Signatures.shorten("def f(x)", 8))
        .isEqualTo(new Signatures.Shortened("def f(x)", false));
  }

  @Test
  void normalizingSpacesASignatureAsFormattersDo() {
    assertThat(Signatures.normalize("def __init__(\n        self,\n        name ,\n    ) -> None:"))
        .isEqualTo("def __init__(self, name) -> None");
    assertThat(Signatures.normalize("x".repeat(5000)))
        .hasSizeLessThanOrEqualTo(Signatures.MAX_STORED);
  }

  @Test
  void aLongSignatureWrapsOneParameterToALineAsItsFormatterWould() {
    assertThat(
            Signatures.wrap(
                "def main(self, args: t.Optional[t.Sequence[str]] = None, prog: str = \"a, b\")"
                    + " -> t.Any",
                "python"))
        .isEqualTo(
            """
            def main(
                self,
                args: t.Optional[t.Sequence[str]] = None,
                prog: str = "a, b",
            ) -> t.Any""");
    // No trailing comma where the language forbids one; generics keep their commas.
    assertThat(
            Signatures.wrap(
                "public <K, V> Map<K, V> merge(Map<K, V> left, BiFunction<V, V, V> f) throws X",
                "java"))
        .isEqualTo(
            """
            public <K, V> Map<K, V> merge(
                Map<K, V> left,
                BiFunction<V, V, V> f
            ) throws X""");
    assertThat(Signatures.wrap("export function f(cb: (a: A) => B, n = 1): void", "typescript"))
        .isEqualTo("export function f(\n    cb: (a: A) => B,\n    n = 1,\n): void");
    assertThat(Signatures.wrap("int size()", "c")).isEqualTo("int size()");
  }
}
