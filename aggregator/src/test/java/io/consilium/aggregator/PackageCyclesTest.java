package io.consilium.aggregator;

import static io.consilium.registry.testing.ArchitectureRules.noCyclesBetweenPackagesUnder;
import static io.consilium.registry.testing.ArchitectureRules.productionClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {

    @Test
    void should_have_no_dependency_cycle_between_the_packages_of_the_module() {
        // given
        JavaClasses classes = productionClasses("io.consilium.aggregator");

        // when / then
        noCyclesBetweenPackagesUnder("io.consilium.aggregator").check(classes);
    }
}
