package dev.autodoc.local.testing;

/**
 * The published open-source code the tests document, one language or more each, pinned by version
 * and SHA-256. Nothing of it is copied into this repository.
 */
public final class RealSources {
  /** Java: Apache Commons CLI. */
  public static final SourceArchive COMMONS_CLI =
      SourceArchive.mavenSources(
          "commons-cli",
          "commons-cli",
          "1.9.0",
          "d551046d6abf01a6cd27cacb607b320daa90ade1b7a6e96ea98d142b18d9170e");

  /** Python (gyp and the vendored {@code packaging}) and JavaScript. */
  public static final SourceArchive NODE_GYP =
      SourceArchive.npm(
          "node-gyp", "13.1.0", "15663ca4944844139023390f057e86f1897d855959ea7e96f151d4873be8c71f");

  /** TypeScript. */
  public static final SourceArchive RXJS =
      SourceArchive.npm(
          "rxjs", "7.8.2", "2312f8ffd9726ffd7bd53ea12c5f13663d09a3dc3326f448c70b88f5ef6fac82");

  /** C#, C++ and JavaScript. */
  public static final SourceArchive EDGE_JS =
      SourceArchive.npm(
          "edge-js", "26.1.0", "411bafe66d7a067e2d695b1f10d764f4717e3f0fff7d80b8c5b587b3abb60688");

  /** C (the tree-sitter library), C++ (its Node binding) and JavaScript. */
  public static final SourceArchive TREE_SITTER =
      SourceArchive.npm(
          "tree-sitter",
          "0.25.1",
          "07aeba8dd71630e7e72b2d4ca3bd2680c3471824100cc5ebff44e78a6ed0b6d3");

  /** Go: spf13/cobra from Debian 12. */
  public static final SourceArchive COBRA =
      SourceArchive.debian(
          "pool/main/g/golang-github-spf13-cobra/golang-github-spf13-cobra-dev_1.6.1-1_all.deb",
          "4f5d20855133319beef3c5b49d3c21a0406f270bf94fb4b6f4d406b691283cb2",
          "usr/share/gocode/src/github.com/spf13/cobra");

  /** Rust: the semver crate from Debian 12. */
  public static final SourceArchive SEMVER =
      SourceArchive.debian(
          "pool/main/r/rust-semver/librust-semver-dev_1.0.14-1_amd64.deb",
          "bf3719b7aac4b7f16f0d68a7037306dbc1532758fe7a5dea01254e85cecaca8c",
          "usr/share/cargo/registry/semver-1.0.14");

  /**
   * Python: click from Debian 12, with two classes named {@code Option} (in core.py and parser.py)
   * and docstrings written with Sphinx roles.
   */
  public static final SourceArchive CLICK =
      SourceArchive.debian(
          "pool/main/p/python-click/python3-click_8.1.3-2_all.deb",
          "c3af7e231d711f7fdb9a2fac4954061fe423ea517279bc30bf95a0920738279b",
          "usr/lib/python3/dist-packages");

  /** TypeScript declarations with TSDoc: a package comment, {@code {@link}} and block tags. */
  public static final SourceArchive TS_COMMAND_LINE =
      SourceArchive.npm(
          "@rushstack/ts-command-line",
          "5.3.18",
          "ad2b52a298d8e2f6968ce055827a6784bad2954ec2488a71c2a3910023bc5485");

  private RealSources() {}
}
