package io.consilium.profiler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TranslationCueTest {

    private static TranslationCue cue;

    @BeforeAll
    static void load() {
        cue = TranslationCue.load();
    }

    @Test
    void should_see_a_request_to_translate_in_any_of_several_languages() {
        assertThat(cue.mayAskForTranslation("Please translate the attached paragraph for our Dutch customers.")).isTrue();
        assertThat(cue.mayAskForTranslation("How would you say 'see you soon' in Korean?")).isTrue();
        assertThat(cue.mayAskForTranslation("Peux-tu traduire ce paragraphe en allemand ?")).isTrue();
        assertThat(cue.mayAskForTranslation("Kannst du mir diesen Absatz übersetzen?")).isTrue();
    }

    @Test
    void should_see_a_text_that_mixes_languages() {
        assertThat(cue.mayAskForTranslation("My colleague wrote to me: \"Je suis vraiment désolé pour le retard de"
                + " la livraison, nous faisons le nécessaire.\" Is he apologising or complaining?")).isTrue();
    }

    @Test
    void should_not_see_translation_in_one_language_or_in_symbols() {
        assertThat(cue.mayAskForTranslation("¿Cuál es la diferencia entre la mitosis y la meiosis en las células?"))
                .isFalse();
        assertThat(cue.mayAskForTranslation("Evaluate $\\int_0^1 x^2 \\, dx$ and explain each step of the working."))
                .isFalse();
        assertThat(cue.mayAskForTranslation("Write a short story about a lighthouse keeper who finds a message in a"
                + " bottle, in the style of a fairy tale.")).isFalse();
    }

    @Test
    void should_identify_the_languages_of_sentences() {
        assertThat(cue.languages("The weather is lovely today and we are going to the beach.")).containsExactly("en");
        assertThat(cue.languages("Das Wetter ist heute schön und wir gehen an den Strand.")).containsExactly("de");
    }
}
