package io.consilium.profiler.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consilium.aggregator.AnswerExtraction;
import io.consilium.profiler.Grade;
import io.consilium.profiler.Grader;
import io.consilium.profiler.ProfilingItem;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Correct when the answer, a regular expression (case-insensitive, {@code .} matching new lines), is
 * found anywhere in the response after any {@code </think>} reasoning. Compiled patterns are kept in a
 * small bounded cache, as a profiling job grades each item once per expert.
 */
public final class RegexGrader implements Grader {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL | Pattern.UNICODE_CASE;
    private static final int MAX_EXTRACTED = 100;

    private final Cache<String, Pattern> patterns = Caffeine.newBuilder().maximumSize(512).build();

    /**
     * Compiles an answer the way this grader uses it.
     *
     * @throws PatternSyntaxException when the answer is not a valid regular expression
     */
    public static Pattern compile(String regex) {
        return Pattern.compile(regex, FLAGS);
    }

    @Override
    public Grade grade(ProfilingItem item, String response) {
        Pattern pattern;
        try {
            pattern = patterns.get(item.answer(), RegexGrader::compile);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "item '" + item.id() + "': its regex answer is invalid: " + e.getDescription(), e);
        }
        Matcher match = pattern.matcher(AnswerExtraction.withoutReasoning(response));
        if (!match.find()) {
            return Grade.wrong(null);
        }
        String found = match.group();
        return Grade.right(found.length() <= MAX_EXTRACTED ? found : found.substring(0, MAX_EXTRACTED));
    }
}
