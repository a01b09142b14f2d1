package io.consilium.profiler.internal;

import io.consilium.aggregator.AnswerExtraction;
import io.consilium.profiler.Grade;
import io.consilium.profiler.Grader;
import io.consilium.profiler.ProfilingItem;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Correct when the letter the response chooses is the reference letter. */
public final class McqGrader implements Grader {

    private static final Pattern REFERENCE = Pattern.compile("[\\s(\\[*\"']*([A-Ja-j])[\\s)\\]*\"'.:]*");

    /** The letter a reference answer names ("C", "c", "(C)"); empty when it is anything else. */
    public static Optional<String> referenceLetter(String answer) {
        Matcher letter = REFERENCE.matcher(answer);
        return letter.matches() ? Optional.of(letter.group(1).toUpperCase(Locale.ROOT)) : Optional.empty();
    }

    @Override
    public Grade grade(ProfilingItem item, String response) {
        String expected = referenceLetter(item.answer()).orElseThrow(() -> new IllegalArgumentException(
                "item '" + item.id() + "': its mcq answer is not a choice letter"));
        Optional<String> chosen = AnswerExtraction.choiceLetter(response);
        return new Grade(chosen.filter(expected::equals).isPresent(), chosen.orElse(null));
    }
}
