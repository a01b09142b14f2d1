package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ApiKeyUpdateTest {

    private static final Secret STORED = Secret.of("sk-stored-key-0001");
    private static final Expert CURRENT = Expert.builder("bound").provider(Provider.OPENAI)
            .baseUrl("https://models.example/v1").model("m").apiKey(STORED).build();

    private static Expert changed(UnaryOperator<Expert.Builder> change) {
        return change.apply(CURRENT.toBuilder().apiKey((Secret) null)).build();
    }

    @Test
    void should_keep_the_stored_key_when_base_url_and_provider_stay() {
        // given
        Expert changed = changed(b -> b.systemPrompt("Be brief.").enabled(false));

        // when
        Secret key = ApiKeyUpdate.keep().keyFor(CURRENT, changed);

        // then
        assertThat(key).isEqualTo(STORED);
    }

    @Test
    void should_refuse_to_keep_the_stored_key_when_the_base_url_changes() {
        // given
        Expert moved = changed(b -> b.baseUrl("https://collector.example/v1"));

        // then
        assertThatThrownBy(() -> ApiKeyUpdate.keep().keyFor(CURRENT, moved))
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> assertThat(e.field()).isEqualTo("api-key"))
                .hasMessageContaining("send the key again, or \"api_key\": null to drop it")
                .hasMessageNotContaining(STORED.reveal());
    }

    @Test
    void should_refuse_to_keep_the_stored_key_when_the_provider_changes() {
        // given
        Expert otherProvider = changed(b -> b.provider(Provider.OLLAMA));

        // then
        assertThatThrownBy(() -> ApiKeyUpdate.keep().keyFor(CURRENT, otherProvider))
                .isInstanceOf(InvalidExpertException.class);
    }

    @Test
    void should_move_freely_an_expert_that_has_no_key() {
        // given
        Expert keyless = CURRENT.toBuilder().apiKey((Secret) null).build();
        Expert moved = keyless.toBuilder().baseUrl("https://elsewhere.example/v1").build();

        // then
        assertThat(ApiKeyUpdate.keep().keyFor(keyless, moved)).isNull();
    }

    @Test
    void should_take_a_key_sent_again_or_drop_it_whatever_the_endpoint() {
        // given
        Expert moved = changed(b -> b.baseUrl("https://elsewhere.example/v1").provider(Provider.OLLAMA));
        Secret sentAgain = Secret.of("sk-new-key-0002");

        // then
        assertThat(ApiKeyUpdate.replace(sentAgain).keyFor(CURRENT, moved)).isEqualTo(sentAgain);
        assertThat(ApiKeyUpdate.remove().keyFor(CURRENT, moved)).isNull();
    }

    @Test
    void should_never_show_a_replacement_key_in_text() {
        assertThat(ApiKeyUpdate.replace(STORED).toString()).doesNotContain(STORED.reveal());
    }
}
