package dev.autodoc.local.cli;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layers apart: {@code common} is pure contracts and logic, the shared service support
 * knows no service, and the services do not know each other (they talk through events).
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importEveryModule() {
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    List<Path> dirs =
        List.of(
                "common",
                "service-support",
                "orchestrator-service",
                "scope-worker-service",
                "deploy/local/stack",
                "deploy/local/cli")
            .stream()
            .map(m -> project.resolve(m).resolve("target/classes"))
            .toList();
    classes = new ClassFileImporter().importPaths(dirs);
  }

  @Test
  void commonHoldsNoServiceOrInfrastructureCode() {
    noClasses()
        .that()
        .resideInAPackage("dev.autodoc.common..")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage(
                    "dev.autodoc.orchestrator..",
                    "dev.autodoc.worker..",
                    "dev.autodoc.support..",
                    "dev.autodoc.local..",
                    "io.quarkus..",
                    "io.vertx..",
                    "io.smallrye..",
                    "org.apache.kafka..",
                    "jakarta..",
                    "org.eclipse.jgit..")
                // git's wildmatch is pure logic: the one part of JGit scope globs use.
                .and(not(resideInAPackage("org.eclipse.jgit.ignore.."))))
        .check(classes);
  }

  @Test
  void serviceSupportKnowsNoService() {
    noClasses()
        .that()
        .resideInAPackage("dev.autodoc.support..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.autodoc.orchestrator..", "dev.autodoc.worker..", "dev.autodoc.local..")
        .check(classes);
  }

  @Test
  void theServicesDoNotKnowEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.autodoc.orchestrator..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.autodoc.worker..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("dev.autodoc.worker..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.autodoc.orchestrator..")
        .check(classes);
  }

  @Test
  void theLocalToolsDoNotReachIntoServices() {
    noClasses()
        .that()
        .resideInAPackage("dev.autodoc.local..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.autodoc.orchestrator..", "dev.autodoc.worker..", "dev.autodoc.support..")
        .check(classes);
  }
}
