package io.consilium.router.taxonomy;

import io.consilium.profiler.TaxonomyService;
import io.consilium.router.classify.ClassifierHolder;
import io.consilium.router.config.ConsiliumProperties;
import java.nio.file.Path;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Applies the taxonomy file once every bean exists, so the classifier retrains on what it adds. */
@Configuration(proxyBeanMethods = false)
class TaxonomyOverridesConfiguration {

    @Bean
    SmartInitializingSingleton taxonomyOverrides(ConsiliumProperties properties, TaxonomyService taxonomy,
            ClassifierHolder classifier) {
        return () -> {
            if (properties.taxonomyFile() != null && !properties.taxonomyFile().isBlank()) {
                TaxonomyOverrides.apply(Path.of(properties.taxonomyFile()), taxonomy);
            }
        };
    }
}
