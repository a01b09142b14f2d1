package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.MockBehaviour;
import io.consilium.registry.Provider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class MockExpertClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static MockExpertClient mock(double failureRate) {
        Expert expert = Expert.builder("mock-math").provider(Provider.MOCK)
                .skills(List.of("math.algebra"))
                .mock(new MockBehaviour(Duration.ZERO, failureRate))
                .build();
        return new MockExpertClient(expert, JSON);
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
