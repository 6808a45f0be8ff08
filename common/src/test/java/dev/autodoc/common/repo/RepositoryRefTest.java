package dev.autodoc.common.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodoc.common.error.PermanentException;
import org.junit.jupiter.api.Test;

class RepositoryRefTest {
  @Test
  void aPathAndItsFileUrlAreTheSameRepository() {
    RepositoryRef path = RepositoryRef.parse("/srv/git/Shop/");
    RepositoryRef url = RepositoryRef.parse("file:///srv/git/Shop");
    assertThat(path).isEqualTo(url);
    assertThat(path.kind()).isEqualTo(RepositoryRef.Kind.LOCAL);
    assertThat(path.url()).isEqualTo("file:///srv/git/Shop");
    assertThat(path.id()).matches("shop-[0-9a-f]{10}");
  }

  @Test
  void httpsUrlsWithAndWithoutDotGitShareAnId() {
    RepositoryRef a = RepositoryRef.parse("https://GitHub.com/acme/pay.git");
    RepositoryRef b = RepositoryRef.parse("https://github.com/acme/pay");
    assertThat(a.id()).isEqualTo(b.id()).startsWith("pay-");
    assertThat(a.kind()).isEqualTo(RepositoryRef.Kind.HTTPS);
  }

  @Test
  void differentRepositoriesWithTheSameNameGetDifferentIds() {
    assertThat(RepositoryRef.parse("/a/pay").id()).isNotEqualTo(RepositoryRef.parse("/b/pay").id());
  }

  @Test
  void unsupportedOrUnsafeRepositoriesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> RepositoryRef.parse(""))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("required");
    assertThatThrownBy(() -> RepositoryRef.parse("git@github.com:acme/pay.git"))
        .hasMessageContaining("use an absolute path, a file:// URL or an https:// URL");
    assertThatThrownBy(() -> RepositoryRef.parse("relative/path"))
        .hasMessageContaining("not supported");
    assertThatThrownBy(() -> RepositoryRef.parse("http://example.org/x"))
        .hasMessageContaining("not supported");
    assertThatThrownBy(() -> RepositoryRef.parse("https://user:secret@github.com/acme/pay"))
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> RepositoryRef.parse("https://github.com/"))
        .hasMessageContaining("host and a path");
  }
}
