package io.consilium.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.profiler.ClassifierSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code consilium.classifier.first-reading.*} as an operator writes it, turned into the classifier's settings. */
class ClassifierPropertiesTest {

    @Test
    void should_take_the_measured_first_reading_when_nothing_is_configured() {
        // when
        ClassifierSettings.FirstReading reading = bind(Map.of()).classifier().firstReading().toSettings();

        // then
        assertThat(reading).isEqualTo(ClassifierSettings.FirstReading.MEASURED);
        assertThat(reading).isEqualTo(ClassifierSettings.DEFAULTS.firstReading());
    }

    @Test
    void should_read_every_query_through_the_full_window_when_the_first_reading_is_off() {
        // when
        ClassifierSettings.FirstReading reading = bind(Map.of(
                "consilium.classifier.first-reading.max-tokens", "0")).classifier().firstReading().toSettings();

        // then
        assertThat(reading.enabled()).isFalse();
    }

    @Test
    void should_take_a_first_window_of_its_own() {
        // when
        ClassifierSettings.FirstReading reading = bind(Map.of(
                "consilium.classifier.first-reading.max-tokens", "48",
                "consilium.classifier.first-reading.tail-tokens", "40",
                "consilium.classifier.first-reading.skip-filler-words", "false",
                "consilium.classifier.first-reading.opening-tokens", "32")).classifier().firstReading().toSettings();

        // then
        assertThat(reading).isEqualTo(new ClassifierSettings.FirstReading(48, 40, false, 32));
    }

    private static ConsiliumProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("consilium", ConsiliumProperties.class);
    }
}
