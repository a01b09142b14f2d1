package io.consilium.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ChatStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class FusionResultTest {

    private static final ChatStream EMPTY = new ChatStream() {
        @Override
        public Optional<ObjectNode> next() {
            return Optional.empty();
        }

        @Override
        public void close() {}
    };

    @Test
    void should_carry_the_chosen_answers_tool_calls_and_expert_when_decided_from_a_candidate() {
        // given
        ToolCall call = new ToolCall("1", "weather", "{}");

        // when
        FusionResult result = FusionResult.decided(FusionMode.VOTE, false, new CandidateAnswer("a", "", 0.5, List.of(call)));

        // then
        assertThat(result.toolCalls()).containsExactly(call);
        assertThat(result.hasToolCalls()).isTrue();
        assertThat(result.author()).isEqualTo("a");
        assertThat(result.requireText()).isEmpty();
    }

    @Test
    void should_carry_no_tool_calls_and_no_author_when_made_the_old_way() {
        // when
        FusionResult text = FusionResult.decided(FusionMode.BEST, false, "42");
        FusionResult stream = new FusionResult(FusionMode.SYNTHESIZE, false, null, EMPTY, null);

        // then
        assertThat(text.toolCalls()).isEmpty();
        assertThat(text.author()).isNull();
        assertThat(stream.hasToolCalls()).isFalse();
    }

    @Test
    void should_refuse_tool_calls_beside_a_stream_naming_how_many() {
        assertThatThrownBy(() -> new FusionResult(FusionMode.SYNTHESIZE, false, null, EMPTY, null,
                List.of(new ToolCall("1", "weather", "{}")), "agg"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("had 1 besides it");
    }
}
