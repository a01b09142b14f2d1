package io.consilium.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FusionConfigTest {

    @Test
    void should_default_to_the_shipped_instructions_the_generation_limits_and_usage_for_streams() {
        // when
        FusionConfig defaults = FusionConfig.ofDefaults();

        // then
        assertThat(defaults.synthesisInstructions()).startsWith("You are the final editor").doesNotEndWith("\n");
        assertThat(defaults.copiedFields()).containsExactly("temperature", "max_tokens", "max_completion_tokens");
        assertThat(defaults.streamUsage()).isTrue();
    }

    @Test
    void should_copy_a_base_config_and_change_only_what_is_set() {
        // given
        FusionConfig base = FusionConfig.custom().synthesisInstructions("Fuse.").streamUsage(false).build();

        // when
        FusionConfig changed = FusionConfig.from(base).copiedFields(List.of("seed")).build();

        // then
        assertThat(changed.synthesisInstructions()).isEqualTo("Fuse.");
        assertThat(changed.streamUsage()).isFalse();
        assertThat(changed.copiedFields()).containsExactly("seed");
        assertThat(base.copiedFields()).isEqualTo(FusionConfig.DEFAULT_COPIED_FIELDS);
    }

    @Test
    void should_reject_blank_instructions_naming_the_value() {
        assertThatThrownBy(() -> FusionConfig.custom().synthesisInstructions(" \n "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("synthesisInstructions must not be blank, but was ' \n '");
    }

    @Test
    void should_reject_copied_fields_that_are_not_names_are_written_by_the_synthesis_or_repeat() {
        assertThatThrownBy(() -> FusionConfig.custom().copiedFields(List.of("temperature", "top p")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but held 'top p'");
        assertThatThrownBy(() -> FusionConfig.custom().copiedFields(List.of("messages")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but held 'messages'");
        assertThatThrownBy(() -> FusionConfig.custom().copiedFields(List.of("seed", "seed")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but held 'seed' twice");
    }
}
