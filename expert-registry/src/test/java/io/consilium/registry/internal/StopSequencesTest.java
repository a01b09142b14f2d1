package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopSequencesTest {

    @Test
    void should_release_text_at_once_when_there_are_no_stop_sequences() {
        // given
        StopSequences stops = new StopSequences(List.of());

        // when / then
        assertThat(stops.accept("hello")).isEqualTo("hello");
        assertThat(stops.accept(" world")).isEqualTo(" world");
        assertThat(stops.stopped()).isFalse();
        assertThat(stops.flush()).isEmpty();
    }

    @Test
    void should_hold_back_what_may_begin_a_stop_sequence_and_cut_before_it_when_it_completes() {
        // given
        StopSequences stops = new StopSequences(List.of("END!"));

        // when / then
        assertThat(stops.accept("one E")).isEqualTo("one ");
        assertThat(stops.accept("N")).isEmpty();
        assertThat(stops.accept("D! two")).isEmpty();
        assertThat(stops.stopped()).isTrue();
        assertThat(stops.accept("more")).isEmpty();
        assertThat(stops.flush()).isEmpty();
    }

    @Test
    void should_release_held_back_text_when_it_turns_out_not_to_be_a_stop_sequence() {
        // given
        StopSequences stops = new StopSequences(List.of("END!"));

        // when / then
        assertThat(stops.accept("one EN")).isEqualTo("one ");
        assertThat(stops.accept("D? two")).isEqualTo("END? two");
        assertThat(stops.accept(" E")).isEqualTo(" ");
        assertThat(stops.flush()).isEqualTo("E");
    }

    @Test
    void should_cut_at_the_earliest_of_several_stop_sequences() {
        // given
        StopSequences stops = new StopSequences(List.of("cat", "a c"));

        // when
        String released = stops.accept("the dog and a cat");

        // then
        assertThat(released).isEqualTo("the dog and ");
        assertThat(stops.stopped()).isTrue();
    }
}
