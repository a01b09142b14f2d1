package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ChatRequest;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertForbiddenException;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.ExpertStores;
import io.consilium.registry.LocalModelSettings;
import io.consilium.registry.Provider;
import io.consilium.registry.ResilienceSettings;
import io.consilium.registry.UpstreamHttpSettings;
import io.consilium.registry.testing.FakeAnthropicUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The egress policy before each call, and redirects, through the clients the factory builds over the JDK HTTP
 * client; {@link ExpertClientEgressOverJettyTest} checks the same over Jetty's.
 */
class ExpertClientEgressTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static FakeOpenAiUpstream OPENAI;
    private static FakeAnthropicUpstream ANTHROPIC;
    /** Where redirects point: it must never hear from anyone. */
    private static FakeOpenAiUpstream ELSEWHERE;
    private static final ChatRequest HELLO = new ChatRequest((ObjectNode) JSON.readTree(
            "{\"model\": \"x\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"));

    private final List<ExpertClients> opened = new ArrayList<>();

    /** The HTTP client under test. */
    protected UpstreamHttpSettings.Client httpClient() {
        return UpstreamHttpSettings.Client.JDK;
    }

    @BeforeAll
    static void startUpstreams() {
        OPENAI = FakeOpenAiUpstream.start();
        ANTHROPIC = FakeAnthropicUpstream.start();
        ELSEWHERE = FakeOpenAiUpstream.start();
    }

    @AfterAll
    static void stopUpstreams() {
        OPENAI.close();
        ANTHROPIC.close();
        ELSEWHERE.close();
    }

    @BeforeEach
    void resetUpstreams() {
        OPENAI.reset();
        ANTHROPIC.reset();
        ELSEWHERE.reset();
    }

    @AfterEach
    void closeClients() {
        opened.forEach(ExpertClients::close);
    }

    private ExpertClients clients(EgressPolicy policy) {
        ExpertClients clients = ExpertClients.create(ResilienceSettings.ofDefaults(), new SimpleMeterRegistry(), policy,
                LocalModelSettings.ofDefaults(), UpstreamHttpSettings.custom().client(httpClient()).build());
        opened.add(clients);
        return clients;
    }

    private static Expert openAi(String baseUrl) {
        return Expert.builder("openai-expert").provider(Provider.OPENAI).baseUrl(baseUrl).model("m").apiKey("sk-openai")
                .build();
    }

    private static Expert anthropic(String baseUrl) {
        return Expert.builder("anthropic-expert").provider(Provider.ANTHROPIC).baseUrl(baseUrl).model("claude-test")
                .apiKey("sk-ant-secret").build();
    }

    @Test
    void should_refuse_the_call_without_contacting_the_upstream_when_the_policy_now_refuses_loopback() {
        // given: registered while loopback was allowed
        Expert expert = new ExpertRegistry(ExpertStores.inMemory(), skill -> true, clients(EgressPolicy.ofDefaults()))
                .register(openAi(OPENAI.baseUrl()));
        ExpertClients strict = clients(EgressPolicy.custom().allowLoopback(false).build());

        // when / then
        assertThatThrownBy(() -> strict.clientFor(expert).chat(HELLO))
                .isInstanceOfSatisfying(ExpertForbiddenException.class, e -> {
                    assertThat(e.expertId()).isEqualTo("openai-expert");
                    assertThat(e.isRetriable()).isFalse();
                    assertThat(e.getMessage()).contains("a loopback address", "loopback is not allowed");
                });
        assertThatThrownBy(() -> strict.clientFor(expert).stream(HELLO)).isInstanceOf(ExpertForbiddenException.class);
        assertThat(OPENAI.calls()).isZero();
    }

    @Test
    void should_refuse_the_call_without_contacting_the_upstream_when_an_anthropic_expert_is_refused() {
        // given
        ExpertClients strict = clients(EgressPolicy.custom().allowLoopback(false).build());
        Expert expert = anthropic(ANTHROPIC.baseUrl());

        // when / then
        assertThatThrownBy(() -> strict.clientFor(expert).chat(HELLO)).isInstanceOf(ExpertForbiddenException.class);
        assertThatThrownBy(() -> strict.clientFor(expert).stream(HELLO)).isInstanceOf(ExpertForbiddenException.class);
        assertThat(ANTHROPIC.calls()).isZero();
    }

    @Test
    void should_refuse_the_call_when_the_name_resolves_to_a_metadata_address_since_registration() {
        // given: a name that resolved to a public address at registration
        AtomicReference<String> dns = new AtomicReference<>("93.184.216.34");
        ExpertClients clients = clients(EgressPolicy.publicOnly().toBuilder()
                .resolver(host -> List.of(InetAddress.ofLiteral(dns.get())))
                .build());
        Expert expert = new ExpertRegistry(ExpertStores.inMemory(), skill -> true, clients)
                .register(openAi("http://models.example/v1"));

        // when: its DNS changes
        dns.set("169.254.169.254");

        // then: API clients learn what kind of address was refused, operators also which one
        assertThatThrownBy(() -> clients.clientFor(expert).chat(HELLO))
                .isInstanceOfSatisfying(ExpertForbiddenException.class, e -> {
                    assertThat(e.getMessage()).contains("a cloud metadata address").doesNotContain("169.254.169.254");
                    assertThat(e.refusal().reason()).isEqualTo(
                            "host 'models.example' resolves to 169.254.169.254, a cloud metadata address (always refused)");
                });
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void should_not_follow_a_redirect_when_an_openai_compatible_upstream_answers_with_one(int status) {
        // given
        OPENAI.enqueue(Reply.json(status, "", "Location", ELSEWHERE.baseUrl() + "/chat/completions"));
        ExpertClients clients = clients(EgressPolicy.ofDefaults());

        // when / then
        assertThatThrownBy(() -> clients.clientFor(openAi(OPENAI.baseUrl())).chat(HELLO))
                .isInstanceOf(ExpertException.class);
        assertThat(OPENAI.calls()).isEqualTo(1);
        assertThat(ELSEWHERE.calls()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void should_not_follow_a_redirect_nor_pass_on_the_key_when_an_anthropic_upstream_answers_with_one(int status) {
        // given
        ANTHROPIC.enqueue(FakeAnthropicUpstream.Reply.json(status, "", "Location", ELSEWHERE.baseUrl() + "/messages"));
        ExpertClients clients = clients(EgressPolicy.ofDefaults());

        // when / then
        assertThatThrownBy(() -> clients.clientFor(anthropic(ANTHROPIC.baseUrl())).chat(HELLO))
                .isInstanceOf(ExpertException.class);
        assertThat(ANTHROPIC.calls()).isEqualTo(1);
        assertThat(ELSEWHERE.calls()).isZero();
    }

    @Test
    void should_not_follow_a_redirect_when_an_anthropic_stream_is_answered_with_one() {
        // given
        ANTHROPIC.enqueue(FakeAnthropicUpstream.Reply.json(307, "", "Location", ELSEWHERE.baseUrl() + "/messages"));
        ExpertClients clients = clients(EgressPolicy.ofDefaults());

        // when / then
        assertThatThrownBy(() -> clients.clientFor(anthropic(ANTHROPIC.baseUrl())).stream(HELLO))
                .isInstanceOf(ExpertException.class);
        assertThat(ELSEWHERE.calls()).isZero();
    }
}
