package io.consilium.router.training;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Provider;
import java.net.URI;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training run, only with {@code consilium.aot.training=true}. It trains on the first enabled mock expert
 * (the embedded defaults have four); a configuration without one cannot be trained on, and says so.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(TrainingEnvironment.TRAINING)
class TrainingConfiguration {

    /** Four clients of 25 rounds each: about 1,500 requests. */
    private static final TrainingRun.Settings SETTINGS = new TrainingRun.Settings(4, 25);

    @Bean
    TrainingRun trainingRun(ConfigurableApplicationContext context, ExpertRegistry registry, JsonMapper json) {
        String adminKey = context.getEnvironment().getRequiredProperty(TrainingEnvironment.ADMIN_KEY);
        return new TrainingRun(context,
                port -> new TrainingRequests(URI.create("http://127.0.0.1:" + port), adminKey, mockExpert(registry), json),
                SETTINGS, System::exit);
    }

    private static String mockExpert(ExpertRegistry registry) {
        return registry.enabled().stream()
                .filter(expert -> expert.provider() == Provider.MOCK)
                .map(Expert::id)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(TrainingEnvironment.TRAINING
                        + " needs an enabled mock expert to call, and the configuration has none"
                        + " (the embedded defaults have four: train on them)"));
    }
}
