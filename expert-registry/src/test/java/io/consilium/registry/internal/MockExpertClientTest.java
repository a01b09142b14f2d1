package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.Limits;
import io.consilium.registry.MockBehaviour;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.ExpertClientContract;
import io.consilium.registry.testing.FakeUpstream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The mock client: the {@link ExpertClientContract} and what is particular to it. */
class MockExpertClientTest extends ExpertClientContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static MockExpertClient mock(double failureRate) {
        return new MockExpertClient(expert("mock-math", failureRate).build(), JSON);
    }

    private static Expert.Builder expert(String id, double failureRate) {
        return Expert.builder(id).provider(Provider.MOCK)
                .skills(List.of("math.algebra"))
                .mock(new MockBehaviour(Duration.ZERO, failureRate));
    }

    @Override
    protected Expert.Builder contractExpert(String id) {
        return expert(id, 0);
    }

    /** A mock really waits its latency, so a latency longer than its timeout stalls it. */
    @Override
    protected Expert.Builder stalled(Expert.Builder expert) {
        return expert.mock(new MockBehaviour(Duration.ofSeconds(30), 0))
                .limits(new Limits(4, SHORT_TIMEOUT, Limits.DEFAULTS.contextTokens()));
    }

    /** A mock calls nobody: it has no HTTP statuses, and closing its stream has no connection to hang up. */
    @Override
    protected Optional<FakeUpstream> httpUpstream() {
        return Optional.empty();
    }

    private static ChatRequest ask(String question, boolean stream) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "mock-math");
        body.put("stream", stream);
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        body.putObject("stream_options").put("include_usage", true);
        return new ChatRequest(body);
    }

    @Test
    void should_answer_deterministically_and_say_it_is_a_mock() {
        // when
        ChatCompletion first = mock(0).chat(ask("What is 2+2?", false));
        ChatCompletion second = mock(0).chat(ask("What is 2+2?", false));

        // then
        assertThat(first.text()).isEqualTo(second.text())
                .startsWith("[mock mock-math]")
                .contains("no language model was called")
                .contains("What is 2+2?");
        assertThat(first.usage().completionTokens()).isPositive();
    }

    @Test
    void should_stream_the_same_text_word_by_word_with_usage_last() {
        // given
        String expected = mock(0).chat(ask("Explain limits", false)).text();
        StringBuilder streamed = new StringBuilder();
        java.util.Set<String> ids = new java.util.HashSet<>();
        int chunks = 0;
        ObjectNode last = null;

        // when
        try (ChatStream stream = mock(0).stream(ask("Explain limits", true))) {
            for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
                chunks++;
                last = chunk.get();
                ids.add(last.path("id").asString());
                streamed.append(last.path("choices").path(0).path("delta").path("content").asString(""));
            }
        }

        // then
        assertThat(streamed.toString()).isEqualTo(expected);
        assertThat(chunks).isGreaterThan(5);
        assertThat(ids).as("every chunk of one answer carries the same id").hasSize(1);
        assertThat(last.path("usage").path("completion_tokens").asLong()).isPositive();
    }

    @Test
    void should_fail_as_an_upstream_500_when_configured_to_always_fail() {
        assertThatThrownBy(() -> mock(1).chat(ask("x", false)))
                .isInstanceOfSatisfying(ExpertServerException.class, e -> assertThat(e.status()).isEqualTo(500));
    }
}
