package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpertTest {

    private static Expert.Builder remote(String id) {
        return Expert.builder(id).provider(Provider.OPENAI).baseUrl("http://vllm:8000/v1").model("m");
    }

    @Test
    void should_build_a_remote_expert_with_defaults() {
        // when
        Expert expert = remote("math-7b").skills(List.of(" Math.Algebra ", "math.algebra")).build();

        // then
        assertThat(expert.enabled()).isTrue();
        assertThat(expert.roles()).containsExactly(Role.EXPERT);
        assertThat(expert.modalities()).containsExactly(Modality.TEXT);
        assertThat(expert.skills()).containsExactly("math.algebra");
        assertThat(expert.limits()).isEqualTo(Limits.DEFAULTS);
        assertThat(expert.apis()).containsExactly(ExpertApi.CHAT_COMPLETIONS);
    }

    @Test
    void should_let_an_openai_compatible_expert_declare_the_responses_api_and_keep_it_in_copies() {
        // when
        Expert openAi = remote("gpt").apiIds(List.of("chat_completions", " Responses ")).build();
        Expert ollama = Expert.builder("llama").provider(Provider.OLLAMA).baseUrl("http://ollama:11434/v1").model("m")
                .apiIds(List.of("chat_completions", "responses")).build();

        // then
        assertThat(openAi.serves(ExpertApi.RESPONSES)).isTrue();
        assertThat(ollama.serves(ExpertApi.RESPONSES)).isTrue();
        assertThat(openAi.toBuilder().build()).isEqualTo(openAi);
        assertThat(remote("plain").build().serves(ExpertApi.RESPONSES)).isFalse();
    }

    @Test
    void should_refuse_the_responses_api_for_providers_and_roles_that_cannot_serve_it_naming_the_field() {
        // given
        List<String> both = List.of("chat_completions", "responses");

        // then
        assertThatThrownBy(() -> Expert.builder("claude").provider(Provider.ANTHROPIC).baseUrl("https://api.anthropic.com")
                .model("c").apiIds(both).build())
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> assertThat(e.field()).isEqualTo("apis"))
                .hasMessageContaining("openai and ollama, not anthropic");
        assertThatThrownBy(() -> Expert.builder("mock").provider(Provider.MOCK).apiIds(both).build())
                .hasMessageContaining("not mock");
        assertThatThrownBy(() -> remote("vectors").roleIds(List.of("embedding")).apiIds(both).build())
                .hasMessageContaining("embedding expert");
        assertThatThrownBy(() -> remote("only-responses").apiIds(List.of("responses")).build())
                .hasMessageContaining("must include chat_completions");
        assertThatThrownBy(() -> remote("unknown").apiIds(List.of("completions")).build())
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> assertThat(e.field()).isEqualTo("apis"))
                .hasMessageContaining("'completions'").hasMessageContaining("[chat_completions, responses]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "UPPER", "-leading-dash", "has space", "a/b",
            "x2345678901234567890123456789012345678901234567890123456789012345"})
    void should_reject_an_id_outside_the_pattern(String id) {
        assertThatThrownBy(() -> remote(id).build())
                .isInstanceOf(InvalidExpertException.class)
                .hasMessageContaining("'id'")
                .hasMessageContaining("'" + id + "'");
    }

    @Test
    void should_reject_a_non_http_base_url_naming_field_and_value() {
        assertThatThrownBy(() -> remote("x").baseUrl("ftp://models/v1").build())
                .isInstanceOf(InvalidExpertException.class)
                .hasMessage("expert field 'base-url' must use http or https, but was 'ftp://models/v1'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0177.0.0.1", "0x7f000001", "0x7f.0.0.1", "2130706433", "127.1", "127.0.1:8000"})
    void should_refuse_a_base_url_whose_host_is_an_ipv4_address_in_a_non_canonical_form(String authority) {
        // given
        String host = authority.replace(":8000", "");

        // then
        assertThatThrownBy(() -> Expert.builder("e").provider(Provider.OPENAI).model("m")
                .baseUrl("http://" + authority + "/v1").build())
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> assertThat(e.field()).isEqualTo("base-url"))
                .hasMessageContaining("'" + host + "' is an IPv4 address in a non-canonical form that clients read as "
                        + "127.0.0.1; write it as 127.0.0.1");
    }

    @Test
    void should_say_a_host_is_missing_when_the_authority_holds_no_host() {
        assertThatThrownBy(() -> Expert.builder("e").provider(Provider.OPENAI).model("m")
                .baseUrl("http://bad_name:8000/v1").build())
                .hasMessage("expert field 'base-url' must name a host, but was 'http://bad_name:8000/v1'");
    }

    @Test
    void should_require_base_url_and_model_for_remote_providers() {
        assertThatThrownBy(() -> Expert.builder("x").provider(Provider.OPENAI).model("m").build())
                .hasMessageContaining("'base-url' is required for provider openai");
        assertThatThrownBy(() -> Expert.builder("x").provider(Provider.ANTHROPIC).baseUrl("https://a/v1").build())
                .hasMessageContaining("'model' is required for provider anthropic");
    }

    @Test
    void should_refuse_credentials_in_the_url_without_echoing_them() {
        assertThatThrownBy(() -> remote("x").baseUrl("https://user:hunter2@models/v1").build())
                .isInstanceOf(InvalidExpertException.class)
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void should_reject_an_unknown_provider_listing_the_known_ones() {
        assertThatThrownBy(() -> Expert.builder("x").provider("gemini"))
                .hasMessage("expert field 'provider' must be one of [openai, anthropic, ollama, onnx, mock, builtin],"
                        + " but was 'gemini'");
    }

    @Test
    void should_hold_a_request_within_a_declared_context_window_and_any_when_none_is_declared() {
        // given
        Limits declared = new Limits(1, Duration.ofSeconds(1), 4_096);
        Limits undeclared = new Limits(1, Duration.ofSeconds(1), Limits.NO_CONTEXT_LIMIT);

        // then
        assertThat(declared.holds(4_096)).isTrue();
        assertThat(declared.holds(4_097)).isFalse();
        assertThat(undeclared.holds(10_000_000)).isTrue();
        assertThat(Limits.DEFAULTS.contextTokens()).isEqualTo(Limits.NO_CONTEXT_LIMIT);
    }

    @Test
    void should_reject_limits_that_are_not_positive() {
        assertThatThrownBy(() -> new Limits(0, Duration.ofSeconds(1), 10))
                .hasMessageContaining("'limits.max-concurrency'").hasMessageContaining("but was 0");
        assertThatThrownBy(() -> new Limits(1, Duration.ZERO, 10))
                .hasMessageContaining("'limits.timeout'");
        assertThatThrownBy(() -> new Limits(1, Duration.ofSeconds(1), -5))
                .hasMessageContaining("'limits.context-tokens'").hasMessageContaining("but was -5");
    }

    @Test
    void should_reject_negative_prices_and_bad_mock_rates() {
        assertThatThrownBy(() -> new Cost(-1, 0)).hasMessageContaining("'cost.input-per-mtok'");
        assertThatThrownBy(() -> new MockBehaviour(Duration.ZERO, 1.5)).hasMessageContaining("'mock.failure-rate'");
    }

    @Test
    void should_reject_unknown_roles_and_modalities_and_require_text() {
        assertThatThrownBy(() -> remote("x").roleIds(List.of("boss")))
                .hasMessageContaining("'roles'").hasMessageContaining("'boss'");
        assertThatThrownBy(() -> remote("x").modalityIds(List.of("smell")))
                .hasMessageContaining("'modalities'").hasMessageContaining("'smell'");
        assertThatThrownBy(() -> remote("x").modalityIds(List.of("image")).build())
                .hasMessageContaining("'modalities' must include text");
    }

    @Test
    void should_reject_malformed_skill_ids() {
        assertThatThrownBy(() -> remote("x").skills(List.of("math..algebra")).build())
                .hasMessageContaining("'skills'").hasMessageContaining("'math..algebra'");
    }

    @Test
    void should_never_show_the_api_key_in_text() {
        // given
        Expert expert = remote("x").apiKey("sk-very-secret").build();

        // then
        assertThat(expert.toString()).doesNotContain("sk-very-secret");
        assertThat(String.valueOf(expert.apiKey())).isEqualTo(Secret.MASK);
        assertThat(expert.apiKey().reveal()).isEqualTo("sk-very-secret");
    }

    @Test
    void should_require_a_model_path_for_onnx_experts() {
        assertThatThrownBy(() -> Expert.builder("local").provider(Provider.ONNX).build())
                .hasMessageContaining("'model-path' is required");
    }
}
