package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocalModelSettingsTest {

    @Test
    void should_keep_the_values_it_was_built_with_and_copy_them_to_a_new_builder() {
        // when
        LocalModelSettings settings = LocalModelSettings.custom()
                .memoryBudgetBytes(1_000_000).maxBatchSize(4).intraOpThreads(2).defaultMaxTokens(64).build();
        LocalModelSettings copy = settings.toBuilder().maxBatchSize(16).build();

        // then
        assertThat(settings.memoryBudgetBytes()).isEqualTo(1_000_000);
        assertThat(settings.maxBatchSize()).isEqualTo(4);
        assertThat(settings.intraOpThreads()).isEqualTo(2);
        assertThat(settings.defaultMaxTokens()).isEqualTo(64);
        assertThat(copy.maxBatchSize()).isEqualTo(16);
        assertThat(copy.memoryBudgetBytes()).isEqualTo(1_000_000);
        assertThat(LocalModelSettings.ofDefaults().maxBatchSize()).isEqualTo(8);
    }

    @Test
    void should_name_the_rejected_value_when_a_setting_is_out_of_range() {
        assertThatThrownBy(() -> LocalModelSettings.custom().memoryBudgetBytes(0))
                .hasMessage("memoryBudgetBytes must be positive, but was 0");
        assertThatThrownBy(() -> LocalModelSettings.custom().maxBatchSize(0))
                .hasMessage("maxBatchSize must be between 1 and 256, but was 0");
        assertThatThrownBy(() -> LocalModelSettings.custom().intraOpThreads(-1))
                .hasMessage("intraOpThreads must be between 1 and 1024, but was -1");
        assertThatThrownBy(() -> LocalModelSettings.custom().defaultMaxTokens(0))
                .hasMessage("defaultMaxTokens must be between 1 and 1000000, but was 0");
    }
}
