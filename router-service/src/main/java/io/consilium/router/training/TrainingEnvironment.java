package io.consilium.router.training;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Prepares a training run before any bean exists. It refuses a shared store, since the run creates a key and
 * an expert and would leave them there; and when no admin key is configured it sets a throw-away one, so
 * that the run can use the admin API without a generated key being printed into a build log.
 */
public final class TrainingEnvironment implements EnvironmentPostProcessor {

    static final String TRAINING = "consilium.aot.training";
    static final String ADMIN_KEY = "consilium.auth.admin-key";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(TRAINING, Boolean.class, false)) {
            return;
        }
        String store = environment.getProperty("consilium.store", "memory");
        if (!"memory".equals(store)) {
            throw new IllegalStateException(TRAINING + " needs consilium.store=memory, but was '" + store
                    + "': the training run creates a key and an expert, which must not outlive it");
        }
        String adminKey = environment.getProperty(ADMIN_KEY);
        if (adminKey == null || adminKey.isBlank()) {
            environment.getPropertySources().addFirst(
                    new MapPropertySource("consiliumTraining", Map.of(ADMIN_KEY, throwAwayKey())));
        }
    }

    private static String throwAwayKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "csa-training-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
