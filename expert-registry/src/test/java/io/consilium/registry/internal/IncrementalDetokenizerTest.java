package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class IncrementalDetokenizerTest {

    /** A byte-level vocabulary: token id = one UTF-8 byte, decoded the way byte-level tokenizers decode. */
    private static final Function<long[], String> BYTES = ids -> {
        byte[] bytes = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            bytes[i] = (byte) ids[i];
        }
        return new String(bytes, StandardCharsets.UTF_8);
    };

    /** A SentencePiece-like vocabulary whose first word of a decode loses its leading space. */
    private static final Function<long[], String> WORDS = ids -> String.join(" ",
            Arrays.stream(ids).mapToObj(id -> id == 0 ? "hello" : id == 1 ? "big" : "world").toList());

    @Test
    void should_hold_back_a_character_split_over_several_tokens_until_it_is_complete() {
        // given
        IncrementalDetokenizer detokenizer = new IncrementalDetokenizer(BYTES);
        byte[] text = "a€b".getBytes(StandardCharsets.UTF_8); // € takes three bytes

        // when
        StringBuilder released = new StringBuilder();
        StringBuilder perToken = new StringBuilder();
        for (byte b : text) {
            String delta = detokenizer.next(b & 0xFF);
            perToken.append('[').append(delta).append(']');
            released.append(delta);
        }
        released.append(detokenizer.flush());

        // then
        assertThat(released.toString()).isEqualTo("a€b");
        assertThat(perToken.toString()).isEqualTo("[a][][][€][b]");
    }

    @Test
    void should_keep_the_space_between_words_that_each_decode_without_it() {
        // given
        IncrementalDetokenizer detokenizer = new IncrementalDetokenizer(WORDS);

        // when
        String text = detokenizer.next(0) + detokenizer.next(1) + detokenizer.next(2) + detokenizer.flush();

        // then
        assertThat(text).isEqualTo("hello big world");
    }
}
