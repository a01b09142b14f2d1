package io.consilium.registry.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

/** Architecture rules every module checks on its own classes, and how those classes are read. */
public final class ArchitectureRules {

    private ArchitectureRules() {}

    /**
     * The production classes of the packages, from the module's own output and the jars of the modules it
     * depends on; test classes and the test jars modules share are left out.
     */
    public static JavaClasses productionClasses(String... packages) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages(packages);
    }

    /**
     * No dependency cycle between the packages directly under a module's root ({@code internal} and any
     * feature package), each with its subpackages. The root package itself is the module's API, which hands
     * out implementations from {@code internal} through static factories, so it is not one of them.
     */
    public static SliceRule noCyclesBetweenPackagesUnder(String root) {
        return SlicesRuleDefinition.slices().matching(root + ".(*)..").namingSlices(root + ".$1")
                .should().beFreeOfCycles();
    }
}
