package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.internal.ModelConfig.GenerationDefaults;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class GenerationParamsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ObjectNode body(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void should_decode_greedily_up_to_the_default_when_the_request_and_model_say_nothing() {
        // when
        GenerationParams params = GenerationParams.from(body("{\"messages\": []}"), GenerationDefaults.NONE, 99);

        // then
        assertThat(params.temperature()).isZero();
        assertThat(params.sampler().isGreedy()).isTrue();
        assertThat(params.maxNewTokens()).isEqualTo(99);
        assertThat(params.stop()).isEmpty();
    }

    @Test
    void should_follow_the_model_generation_config_when_the_request_gives_no_temperature() {
        // given
        GenerationDefaults defaults = new GenerationDefaults(true, 0.7, 0.8, 20, 64);

        // when
        GenerationParams params = GenerationParams.from(body("{\"messages\": [], \"stop\": \"\\n\"}"), defaults, 99);

        // then
        assertThat(params).isEqualTo(new GenerationParams(64, 0.7, 0.8, 20, null, java.util.List.of("\n")));
    }

    @Test
    void should_prefer_the_request_and_max_completion_tokens_over_max_tokens() {
        // given
        GenerationDefaults defaults = new GenerationDefaults(true, 0.7, 0.8, 20, 64);

        // when
        GenerationParams params = GenerationParams.from(body("""
                {"messages": [], "temperature": 0, "max_tokens": 5, "max_completion_tokens": 7, "seed": 3,
                 "stop": ["a", "", "b"]}"""), defaults, 99);

        // then
        assertThat(params).isEqualTo(new GenerationParams(7, 0, 0.8, 20, 3L, java.util.List.of("a", "b")));
    }

    @Test
    void should_name_the_field_and_value_when_a_parameter_is_wrong() {
        assertThatThrownBy(() -> GenerationParams.from(body("{\"top_p\": 0}"), GenerationDefaults.NONE, 9))
                .hasMessage("top_p must be above 0 and at most 1, but was 0.0");
        assertThatThrownBy(() -> GenerationParams.from(body("{\"max_tokens\": 0}"), GenerationDefaults.NONE, 9))
                .hasMessage("max_tokens must be a positive integer, but was 0");
        assertThatThrownBy(() -> GenerationParams.from(body("{\"stop\": 3}"), GenerationDefaults.NONE, 9))
                .hasMessage("stop must be a string or a list of strings, but was 3");
        assertThatThrownBy(() -> GenerationParams.from(body("{\"top_k\": 1.5}"), GenerationDefaults.NONE, 9))
                .hasMessage("top_k must be a whole number, at least 0, but was 1.5");
    }
}
