package dev.autodoc.orchestrator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Repository content quoted by a page cannot run script when the page is opened as HTML. */
class PageHtmlTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](&#x20;javascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![i](javascript:alert(1))",
        "![i](data:image/svg+xml,%3Csvg%20onload%3Dalert(1)%3E)",
        "<javascript:alert(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
      })
  void unsafeUrlsBecomeHarmless(String markdown) {
    String html = PageHtml.document("t", markdown);
    assertThat(html).containsPattern("(href|src)=\"#\"");
    // Every URL attribute is harmless: no script or data scheme, whatever it hides behind.
    java.util.regex.Matcher urls =
        java.util.regex.Pattern.compile("(?:href|src)=\"([^\"]*)\"").matcher(html);
    while (urls.find()) {
      String url = urls.group(1).replaceAll("&#[^;]+;|\\s", "").toLowerCase();
      assertThat(url).doesNotContain("script:").doesNotStartWith("data:");
    }
  }

  @Test
  void rawHtmlFromTheRepositoryIsShownAsText() {
    String html =
        PageHtml.document(
            "<script>t</script>",
            "Hi <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<iframe src=//e></iframe>");
    assertThat(html)
        .doesNotContain("<script>")
        .doesNotContain("<img")
        .doesNotContain("<iframe")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("&lt;img src=x onerror=alert(1)&gt;");
  }

  @Test
  void headingsCarryTheAnchorsPagesLinkTo() {
    String html =
        PageHtml.document(
            "t",
            "# `Options`\n\n## API\n\n### `core.Option`\n\n### `Options`\n\n"
                + "See [`Options`](#options-1).");
    assertThat(html)
        .contains("<h1 id=\"options\">")
        .contains("<h3 id=\"coreoption\">")
        .contains("<h3 id=\"options-1\">")
        .contains("href=\"#options-1\"");
  }

  @Test
  void safeLinksAndImagesStay() {
    String html =
        PageHtml.document(
            "t",
            "[a](https://example.org/x) [b](../modules/core.md#L3) [c](mailto:dev@example.org)"
                + " [d](#anchor) [e](docs/a:b.md) ![f](img/logo.png)");
    assertThat(html)
        .contains("href=\"https://example.org/x\"")
        .contains("href=\"../modules/core.md#L3\"")
        .contains("href=\"mailto:dev@example.org\"")
        .contains("href=\"#anchor\"")
        .contains("href=\"docs/a:b.md\"")
        .contains("src=\"img/logo.png\"");
  }

  @Test
  void theResponseForbidsScriptsAndSniffing() {
    assertThat(PageHtml.HEADERS)
        .anySatisfy(
            h ->
                assertThat(h[0] + ": " + h[1])
                    .startsWith("Content-Security-Policy: default-src 'none'")
                    .contains("sandbox")
                    .doesNotContain("script-src"))
        .anySatisfy(
            h -> assertThat(h[0] + ": " + h[1]).isEqualTo("X-Content-Type-Options: nosniff"));
  }
}
