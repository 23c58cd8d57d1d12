package imps.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's packages form one-way layers (docs/ARCHITECTURE.md, "Packages"): leaves (time,
 * errors, delivery marks, configuration, limits) → stores → the session router → sessions →
 * services → request dispatch → transport → admin (health, commands) → the wiring in {@code
 * imps.server}. A new cycle or an upward dependency fails here.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("imps.server");
  }

  @Test
  void noPackageCycles() {
    slices().matching("imps.server.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void layersPointOneWay() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("Leaf")
        .definedBy(
            "imps.server.time..",
            "imps.server.error..",
            "imps.server.delivery..",
            "imps.server.config..",
            "imps.server.concurrent..",
            "imps.server.limit..")
        .layer("Store")
        .definedBy("imps.server.store..")
        .layer("Cluster")
        .definedBy("imps.server.cluster..")
        .layer("Session")
        .definedBy("imps.server.session..")
        .layer("Services")
        .definedBy(
            "imps.server.account..",
            "imps.server.friend..",
            "imps.server.presence..",
            "imps.server.message..",
            "imps.server.location..")
        .layer("Dispatch")
        .definedBy("imps.server.dispatch..")
        .layer("Transport")
        .definedBy("imps.server.transport..")
        .layer("Admin")
        .definedBy("imps.server.admin..")
        .layer("Wiring")
        .definedBy("imps.server")
        .whereLayer("Leaf")
        .mayNotAccessAnyLayer()
        .whereLayer("Store")
        .mayOnlyAccessLayers("Leaf")
        .whereLayer("Cluster")
        .mayOnlyAccessLayers("Leaf", "Store")
        .whereLayer("Session")
        .mayOnlyAccessLayers("Leaf", "Cluster")
        .whereLayer("Services")
        .mayOnlyAccessLayers("Leaf", "Store", "Cluster", "Session")
        .whereLayer("Dispatch")
        .mayOnlyAccessLayers("Leaf", "Store", "Cluster", "Session", "Services")
        .whereLayer("Transport")
        .mayOnlyAccessLayers("Leaf", "Session", "Dispatch")
        .whereLayer("Admin")
        .mayOnlyAccessLayers(
            "Leaf", "Store", "Cluster", "Session", "Services", "Dispatch", "Transport")
        .check(main);
  }

  @Test
  void domainCodeUsesNoNettyOrJdbcTypes() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "imps.server.session..",
            "imps.server.dispatch..",
            "imps.server.account..",
            "imps.server.friend..",
            "imps.server.presence..",
            "imps.server.message..",
            "imps.server.location..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "java.sql..", "javax.sql..", "io.lettuce..")
        .check(main);
  }

  @Test
  void abstractStoreAndClusterPackagesDoNotKnowTheirBackends() {
    noClasses()
        .that()
        .resideInAPackage("imps.server.store")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "imps.server.store.jdbc..",
            "imps.server.store.sqlite..",
            "imps.server.store.postgres..")
        .check(main);
    noClasses()
        .that()
        .resideInAPackage("imps.server.cluster")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("imps.server.cluster.redis..")
        .check(main);
  }
}
