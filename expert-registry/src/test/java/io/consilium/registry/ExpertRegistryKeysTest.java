package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpertRegistryKeysTest {

    private final ExpertClients clients = ExpertClients.create(ResilienceSettings.ofDefaults(), new SimpleMeterRegistry());
    private final ExpertRegistry registry = new ExpertRegistry(ExpertStores.inMemory(), skill -> true, clients);

    @AfterEach
    void closeClients() {
        clients.close();
    }

    private static Expert.Builder remote(String id) {
        return Expert.builder(id).provider(Provider.OPENAI).baseUrl("http://127.0.0.1:9/v1").model("m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "ab", "key"})
    void should_refuse_a_key_too_short_to_be_redacted_without_showing_it(String key) {
        assertThatThrownBy(() -> registry.register(remote("short-key").apiKey(key).build()))
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> assertThat(e.field()).isEqualTo("api-key"))
                .hasMessage("expert field 'api-key' must have at least 4 characters, since every stored key is redacted "
                        + "from upstream messages wherever it appears, but was ********");
        assertThat(registry.find("short-key")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "EMPTY", "hunter2"})
    void should_accept_a_key_of_four_characters_or_more(String key) {
        assertThat(registry.register(remote("key-" + key.toLowerCase()).apiKey(key).build()).apiKey())
                .isEqualTo(Secret.of(key));
    }

    @Test
    void should_keep_the_stored_key_on_an_update_only_for_the_same_endpoint() {
        // given
        registry.register(remote("bound").apiKey("sk-bound-key").build());
        Expert stored = registry.find("bound").orElseThrow();

        // when
        Expert disabled = registry.update(stored.toBuilder().apiKey((Secret) null).enabled(false).build(),
                ApiKeyUpdate.keep());

        // then
        assertThat(disabled.apiKey()).isEqualTo(Secret.of("sk-bound-key"));
        assertThatThrownBy(() -> registry.update(stored.toBuilder().baseUrl("http://127.0.0.2:9/v1").build(),
                ApiKeyUpdate.keep())).isInstanceOfSatisfying(InvalidExpertException.class,
                e -> assertThat(e.field()).isEqualTo("api-key"));
        assertThat(registry.find("bound").orElseThrow().baseUrl()).hasToString("http://127.0.0.1:9/v1");
    }

    @Test
    void should_refuse_to_update_an_expert_that_does_not_exist() {
        assertThatThrownBy(() -> registry.update(remote("missing").build(), ApiKeyUpdate.keep()))
                .isInstanceOf(ExpertNotFoundException.class);
    }
}
