package io.consilium.router;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.consilium.registry.testing.ArchitectureRules.productionClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The modules depend on each other one way only: the service on the libraries, the profiler on the aggregator
 * and the registry, the aggregator on the registry. Checked here, where every module's classes are on the
 * class path.
 */
class ModuleBoundariesTest {

    private static final String REGISTRY = "io.consilium.registry..";
    private static final String PROFILER = "io.consilium.profiler..";
    private static final String AGGREGATOR = "io.consilium.aggregator..";
    private static final String SERVICE = "io.consilium.router..";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // given: the production classes of every module
        classes = productionClasses("io.consilium");
    }

    @Test
    void should_keep_every_library_free_of_the_service() {
        // when / then
        noClasses().that().resideInAnyPackage(REGISTRY, PROFILER, AGGREGATOR)
                .should().dependOnClassesThat().resideInAPackage(SERVICE)
                .because("the libraries are usable without the Spring Boot service")
                .check(classes);
    }

    @Test
    void should_keep_the_registry_free_of_the_profiler_and_the_aggregator() {
        // when / then
        noClasses().that().resideInAPackage(REGISTRY)
                .should().dependOnClassesThat().resideInAnyPackage(PROFILER, AGGREGATOR)
                .because("how to call an expert knows nothing of skills or fusion")
                .check(classes);
    }

    @Test
    void should_keep_the_aggregator_free_of_the_profiler() {
        // when / then
        noClasses().that().resideInAPackage(AGGREGATOR)
                .should().dependOnClassesThat().resideInAPackage(PROFILER)
                .because("the profiler uses fusion to profile aggregators, not the other way round")
                .check(classes);
    }
}
