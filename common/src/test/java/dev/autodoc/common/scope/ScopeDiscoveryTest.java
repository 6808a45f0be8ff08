package dev.autodoc.common.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScopeDiscoveryTest {

  private static Map<String, ScopeConfig> configs(String... dirs) {
    var map = new LinkedHashMap<String, ScopeConfig>();
    for (String dir : dirs) {
      map.put(dir, ScopeConfig.defaults(dir));
    }
    return map;
  }

  @Test
  void noConfigurationAnywhereGivesOneImplicitRootScope() {
    List<Scope> scopes = ScopeDiscovery.discover(Map.of(), "shop");
    assertThat(scopes)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.path()).isEmpty();
              assertThat(s.config().name()).isEqualTo("shop");
              assertThat(s.owns("src/Main.java")).isTrue();
            });
  }

  @Test
  void aParentScopeExcludesOnlyItsNearestNestedScopes() {
    List<Scope> scopes =
        ScopeDiscovery.discover(
            configs("", "services", "services/pay", "services/pay/ledger"), "r");
    assertThat(scopes)
        .extracting(Scope::path)
        .containsExactly("", "services", "services/pay", "services/pay/ledger");
    assertThat(scopes.get(0).excludedPaths()).containsExactly("services");
    assertThat(scopes.get(1).excludedPaths()).containsExactly("services/pay");
    assertThat(scopes.get(2).excludedPaths()).containsExactly("services/pay/ledger");
    assertThat(scopes.get(3).excludedPaths()).isEmpty();
  }

  @Test
  void everyFileBelongsToTheDeepestScopeThatHoldsIt() {
    List<Scope> scopes = ScopeDiscovery.discover(configs("", "services", "services/pay"), "r");
    for (String file :
        List.of("README.md", "services/a.java", "services/pay/b.java", "services/payroll/c.java")) {
      assertThat(scopes.stream().filter(s -> s.owns(file))).as(file).hasSize(1);
    }
    assertThat(scopes.get(1).owns("services/payroll/c.java")).as("prefix is not a parent").isTrue();
    assertThat(scopes.get(2).owns("services/pay/b.java")).isTrue();
  }

  @Test
  void siblingsDoNotExcludeEachOther() {
    List<Scope> scopes = ScopeDiscovery.discover(configs("api", "web"), "r");
    assertThat(scopes).allSatisfy(s -> assertThat(s.excludedPaths()).isEmpty());
    assertThat(scopes.get(0).owns("web/index.ts")).isFalse();
    assertThat(scopes.stream().noneMatch(s -> s.owns("README.md")))
        .as("without a root scope, files outside every scope are not documented")
        .isTrue();
  }

  @Test
  void aRootScopeAndADeepScopeSkipTheDirectoriesBetween() {
    List<Scope> scopes = ScopeDiscovery.discover(configs("", "a/b/c"), "r");
    assertThat(scopes.get(0).excludedPaths()).containsExactly("a/b/c");
    assertThat(scopes.get(0).owns("a/b/x.java")).isTrue();
    assertThat(scopes.get(0).owns("a/b/c/y.java")).isFalse();
  }

  @Test
  void directoryOfAConfigFile() {
    assertThat(ScopeDiscovery.directoryOf(".autodoc.yaml")).isEmpty();
    assertThat(ScopeDiscovery.directoryOf("a/b/.autodoc.yaml")).isEqualTo("a/b");
  }
}
