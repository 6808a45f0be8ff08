package dev.autodoc.orchestrator.repository;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.UrlSanitizer;

/**
 * A page as an HTML document that is safe to open although its Markdown quotes repository content
 * (doc comments, READMEs) anybody could have written: raw HTML is shown as text, links and images
 * keep only relative, {@code http}, {@code https} and {@code mailto} URLs ({@code javascript:} and
 * {@code data:} become {@code #}), and the response forbids scripts, plugins, frames, forms and
 * content sniffing outright ({@link #HEADERS}).
 */
final class PageHtml {
  /** Headers every HTML page is served with. */
  static final List<String[]> HEADERS =
      List.of(
          new String[] {
            "Content-Security-Policy",
            "default-src 'none'; img-src 'self' https:; style-src 'unsafe-inline'; "
                + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"
          },
          new String[] {"X-Content-Type-Options", "nosniff"},
          new String[] {"Referrer-Policy", "no-referrer"});

  private static final Set<String> SCHEMES = Set.of("http", "https", "mailto");
  private static final List<org.commonmark.Extension> EXTENSIONS =
      // Headings get the ids GitHub gives them, so a page's links to #anchors work here too.
      List.of(TablesExtension.create(), HeadingAnchorExtension.create());
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
  private static final HtmlRenderer HTML =
      HtmlRenderer.builder()
          .extensions(EXTENSIONS)
          .escapeHtml(true)
          .sanitizeUrls(true)
          .urlSanitizer(new SafeUrls())
          .build();

  private PageHtml() {}

  static String document(String title, String markdown) {
    return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title></head>\n<body>\n"
        + fragment(markdown)
        + "</body></html>\n";
  }

  /**
   * The page's body alone, as safe as the document, for the ops UI to place in its own page (where
   * a {@code mermaid} fence, rendered as {@code <code class="language-mermaid">}, is drawn).
   */
  static String fragment(String markdown) {
    return HTML.render(PARSER.parse(markdown));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * Keeps a URL only when it has no scheme or an allowed one, judged as a browser would read it:
   * browsers ignore whitespace and control characters inside a scheme ({@code java\tscript:}).
   */
  static final class SafeUrls implements UrlSanitizer {
    @Override
    public String sanitizeLinkUrl(String url) {
      return safe(url) ? url : "#";
    }

    @Override
    public String sanitizeImageUrl(String url) {
      return safe(url) ? url : "#";
    }

    static boolean safe(String url) {
      String squeezed = url.replaceAll("[\\x00-\\x20\\x7f]", "");
      int colon = squeezed.indexOf(':');
      if (colon < 0) {
        return true;
      }
      int end = indexOfAny(squeezed, "/?#");
      if (end >= 0 && end < colon) {
        return true; // a relative path with a colon further on
      }
      return SCHEMES.contains(squeezed.substring(0, colon).toLowerCase(Locale.ROOT));
    }

    private static int indexOfAny(String text, String chars) {
      for (int i = 0; i < text.length(); i++) {
        if (chars.indexOf(text.charAt(i)) >= 0) {
          return i;
        }
      }
      return -1;
    }
  }
}
