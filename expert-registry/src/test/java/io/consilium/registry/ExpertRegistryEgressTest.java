package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExpertRegistryEgressTest {

    private final List<ExpertClients> opened = new ArrayList<>();

    @AfterEach
    void closeClients() {
        opened.forEach(ExpertClients::close);
    }

    /** A registry whose clients, and so whose registrations, follow the policy. */
    private ExpertRegistry registry(EgressPolicy policy) {
        ExpertClients clients = ExpertClients.create(ResilienceSettings.ofDefaults(), new SimpleMeterRegistry(), policy);
        opened.add(clients);
        return new ExpertRegistry(ExpertStores.inMemory(), skill -> true, clients);
    }

    private static Expert remote(String id, String baseUrl) {
        return Expert.builder(id).provider(Provider.OPENAI).baseUrl(baseUrl).model("m").build();
    }

    @Test
    void should_refuse_registration_naming_base_url_when_it_points_at_a_metadata_address() {
        // given
        ExpertRegistry registry = registry(EgressPolicy.ofDefaults());

        // when / then
        assertThatThrownBy(() -> registry.register(remote("imds", "http://169.254.169.254/v1")))
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> {
                    assertThat(e.field()).isEqualTo("base-url");
                    assertThat(e.getMessage()).isEqualTo("expert field 'base-url' is refused: host 169.254.169.254 is"
                            + " a cloud metadata address (always refused), but was 'http://169.254.169.254/v1'");
                });
        assertThat(registry.find("imds")).isEmpty();
    }

    @Test
    void should_refuse_a_refused_address_on_replace_and_put_too() {
        // given
        ExpertRegistry registry = registry(EgressPolicy.ofDefaults());
        registry.register(remote("moving", "http://127.0.0.1:9/v1"));

        // when / then
        assertThatThrownBy(() -> registry.replace(remote("moving", "http://[fe80::1]/v1")))
                .isInstanceOfSatisfying(InvalidExpertException.class,
                        e -> assertThat(e.getMessage()).contains("a link-local address"));
        assertThatThrownBy(() -> registry.put(remote("configured", "http://metadata.google.internal/v1")))
                .isInstanceOfSatisfying(InvalidExpertException.class,
                        e -> assertThat(e.getMessage()).contains("'metadata.google.internal' is a cloud metadata host name"));
        assertThat(registry.find("moving").orElseThrow().baseUrl()).hasToString("http://127.0.0.1:9/v1");
        assertThat(registry.find("configured")).isEmpty();
    }

    @Test
    void should_refuse_a_name_that_resolves_to_a_private_address_when_private_networks_are_not_allowed() {
        // given
        ExpertRegistry registry = registry(EgressPolicy.publicOnly().toBuilder()
                .resolver(host -> List.of(InetAddress.ofLiteral("93.184.216.34"), InetAddress.ofLiteral("192.168.0.7")))
                .build());

        // when / then
        assertThatThrownBy(() -> registry.register(remote("split", "https://models.example/v1")))
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> {
                    assertThat(e.field()).isEqualTo("base-url");
                    assertThat(e.getMessage()).contains(
                            "resolves to 192.168.0.7, a private network address (private networks are not allowed)");
                });
    }

    @Test
    void should_register_a_loopback_expert_under_the_default_policy() {
        // given
        ExpertRegistry registry = registry(EgressPolicy.ofDefaults());

        // when
        Expert registered = registry.register(remote("local", "http://localhost:11434/v1"));

        // then
        assertThat(registry.find("local")).contains(registered);
    }

    @Test
    void should_register_an_expert_whose_name_does_not_resolve_yet() {
        // given: a service that has no DNS entry yet is checked again before every call
        ExpertRegistry registry = registry(EgressPolicy.publicOnly().toBuilder()
                .resolver(host -> {
                    throw new UnknownHostException(host);
                })
                .build());

        // when
        registry.register(remote("later", "http://vllm-math:8000/v1"));

        // then
        assertThat(registry.find("later")).isPresent();
    }

    @Test
    void should_not_check_a_mock_expert_which_calls_nobody() {
        // given
        ExpertRegistry registry = registry(EgressPolicy.publicOnly());

        // when
        registry.register(Expert.builder("mock-a").provider(Provider.MOCK).build());

        // then
        assertThat(registry.find("mock-a")).isPresent();
    }
}
