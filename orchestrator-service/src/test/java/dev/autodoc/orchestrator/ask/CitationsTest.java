package dev.autodoc.orchestrator.ask;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CitationsTest {
  @Test
  void pageAndCodeCitationsAreReadButNotLinks() {
    var found =
        Citations.in(
            "`Ledger` books [ledger-1a:docs/autodoc/ledger.md#ledger]. It is declared at"
                + " [ledger-1a:src/ledger/Ledger.java:4-10] and"
                + " [ledger-1a:src/ledger/Ledger.java:6]. See [the page](docs/a.md#x)."
                + " Again [ledger-1a:docs/autodoc/ledger.md#ledger].");
    assertThat(found).hasSize(3);
    assertThat(found.get(0))
        .extracting(c -> c.repository(), c -> c.path(), c -> c.anchor(), c -> c.code())
        .containsExactly("ledger-1a", "docs/autodoc/ledger.md", "ledger", false);
    assertThat(found.get(1))
        .extracting(c -> c.path(), c -> c.line(), c -> c.endLine(), c -> c.code())
        .containsExactly("src/ledger/Ledger.java", 4, 10, true);
    assertThat(found.get(2)).extracting(c -> c.line(), c -> c.endLine()).containsExactly(6, 6);
  }

  @Test
  void everySentenceOfProseIsAClaimAndCitesWhenACitationStandsInItOrAfterIt() {
    String answer =
        """
        # Booking

        `Ledger.book` books one payment [r:a.md#b]. It writes both sides. [r:A.java:6]
        Short one.

        - Each payment moves money between accounts [r:a.md#c].
        - It never rounds the cents.

        ```java
        ledger.book(payment); // not a claim at all
        ```
        It uses `Payment.cents` for amounts
        """;
    List<Citations.Claim> claims = Citations.claims(answer);
    assertThat(claims)
        .extracting(Citations.Claim::text, Citations.Claim::cited)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "`Ledger.book` books one payment [r:a.md#b].", true),
            org.assertj.core.groups.Tuple.tuple("It writes both sides. [r:A.java:6]", true),
            org.assertj.core.groups.Tuple.tuple(
                "Each payment moves money between accounts [r:a.md#c].", true),
            org.assertj.core.groups.Tuple.tuple("It never rounds the cents.", false),
            org.assertj.core.groups.Tuple.tuple("It uses `Payment.cents` for amounts", false));
  }

  @Test
  void aQuestionNamesCodeInBackticksOrWrittenAsCode() {
    assertThat(
            Evidence.names(
                "How does `Ledger.book()` use Payment, ts_parser_new and HelpFormatter.printHelp?"))
        .containsExactly("Ledger.book", "Payment", "ts_parser_new", "HelpFormatter.printHelp");
    assertThat(Evidence.names("What does the ledger do?")).isEmpty();
  }
}
