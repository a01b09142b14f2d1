package io.consilium.profiler.internal;

import io.consilium.aggregator.AnswerExtraction;
import io.consilium.profiler.Grade;
import io.consilium.profiler.Grader;
import io.consilium.profiler.ProfilingItem;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Correct when the answer stands on its own in the response, after normalisation: as the whole
 * response, as its final answer ("The answer is Paris.", a first line "Paris, because…"), or as its last
 * bold span ("The capital of France is **Paris**."). A mere mention inside a sentence ("The capital of
 * France is Paris.") does not count: containment would also accept "It is not Paris".
 */
public final class ExactGrader implements Grader {

    private static final Pattern BOLD = Pattern.compile("(\\*\\*|__)([^\\n]+?)\\1");
    /** "It is definitely not **Paris**": emphasis on a rejected answer. */
    private static final Pattern NEGATED = Pattern.compile("(?i)(?:\\bnot|n't|n’t|\\bnever|\\bno)\\s*$");

    @Override
    public Grade grade(ProfilingItem item, String response) {
        String expected = AnswerExtraction.normalise(item.answer());
        if (expected.isEmpty()) {
            throw new IllegalArgumentException("item '" + item.id() + "': its exact answer is empty");
        }
        String visible = AnswerExtraction.withoutReasoning(response);
        String whole = AnswerExtraction.normalise(visible);
        if (whole.equals(expected)) {
            return Grade.right(whole);
        }
        String finalAnswer = AnswerExtraction.normalise(AnswerExtraction.finalAnswer(response).value());
        if (finalAnswer.equals(expected)) {
            return Grade.right(finalAnswer);
        }
        Optional<String> bold = lastBold(visible).map(AnswerExtraction::normalise);
        if (bold.filter(expected::equals).isPresent()) {
            return Grade.right(bold.get());
        }
        return Grade.wrong(finalAnswer.isEmpty() ? null : finalAnswer);
    }

    private static Optional<String> lastBold(String text) {
        Matcher bold = BOLD.matcher(text);
        @Nullable String last = null;
        while (bold.find()) {
            String before = text.substring(Math.max(0, bold.start() - 12), bold.start());
            last = NEGATED.matcher(before).find() ? null : bold.group(2);
        }
        return Optional.ofNullable(last);
    }
}
