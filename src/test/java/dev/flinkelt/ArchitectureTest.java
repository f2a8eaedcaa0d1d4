package dev.flinkelt;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of ARCHITECTURE.md, checked on the compiled classes (product and tools, not
 * tests).
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.flinkelt");
    }

    @Test
    void eachStageUsesOnlyTheStagesBeforeItAndTheKernel() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("config")
                .definedBy("dev.flinkelt.config..")
                .layer("pg")
                .definedBy("dev.flinkelt.pg..")
                .layer("extract")
                .definedBy("dev.flinkelt.extract..")
                .layer("raw")
                .definedBy("dev.flinkelt.raw..")
                .layer("schema")
                .definedBy("dev.flinkelt.schema..")
                .layer("track")
                .definedBy("dev.flinkelt.track..")
                .layer("load")
                .definedBy("dev.flinkelt.load..")
                .layer("extractload")
                .definedBy("dev.flinkelt.extractload..")
                .layer("transform")
                .definedBy("dev.flinkelt.transform..")
                .layer("runtime")
                .definedBy("dev.flinkelt.runtime..")
                .layer("monitor")
                .definedBy("dev.flinkelt.monitor..")
                .layer("verify")
                .definedBy("dev.flinkelt.verify..")
                .layer("cli")
                .definedBy("dev.flinkelt.cli..")
                .layer("tools")
                .definedBy("dev.flinkelt.demo..", "dev.flinkelt.bench..")
                .whereLayer("config")
                .mayNotAccessAnyLayer()
                .whereLayer("pg")
                .mayOnlyAccessLayers("config")
                .whereLayer("extract")
                .mayOnlyAccessLayers("pg", "config")
                .whereLayer("raw")
                .mayOnlyAccessLayers("pg", "config")
                .whereLayer("schema")
                .mayOnlyAccessLayers("raw", "extract", "pg", "config")
                .whereLayer("track")
                .mayOnlyAccessLayers("schema", "raw", "extract", "pg", "config")
                .whereLayer("load")
                .mayOnlyAccessLayers("schema", "raw", "extract", "pg", "config", "monitor")
                .whereLayer("runtime")
                .mayOnlyAccessLayers("pg", "config")
                .whereLayer("monitor")
                .mayOnlyAccessLayers("pg", "config")
                .whereLayer("extractload")
                .mayOnlyAccessLayers(
                        "track", "load", "runtime", "monitor", "schema", "raw", "extract", "pg",
                        "config")
                .whereLayer("transform")
                .mayOnlyAccessLayers("runtime", "raw", "pg", "config")
                .whereLayer("verify")
                .mayOnlyAccessLayers("raw", "pg", "config")
                .whereLayer("cli")
                .mayOnlyBeAccessedByLayers("tools")
                .whereLayer("tools")
                .mayNotBeAccessedByAnyLayer()
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.flinkelt.(**)").should().beFreeOfCycles().check(classes);
    }
}
