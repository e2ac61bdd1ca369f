package org.exbridge.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The house rule: the logic packages know nothing of the web edge. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.exbridge");

  @Test
  void logicPackagesDoNotUseWebTypes() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.exbridge.binding..",
            "org.exbridge.sync..",
            "org.exbridge.exchange..",
            "org.exbridge.calendar..",
            "org.exbridge.directory..",
            "org.exbridge.adminaccount..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta.servlet..",
            "org.springframework.web..",
            "org.springframework.http..",
            "org.exbridge.openapi..",
            "org.exbridge.admin")
        .allowEmptyShould(true)
        .check(CLASSES);
  }

  @Test
  void theLauncherStandsAlone() {
    noClasses()
        .that()
        .resideInAPackage("org.exbridge.launch..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "org.exbridge.app..", "org.exbridge.openapi..")
        .check(CLASSES);
  }
}
