package io.consilium.profiler;

import io.consilium.aggregator.AnswerExtraction;
import io.consilium.profiler.internal.ExactGrader;
import io.consilium.profiler.internal.JudgeGrader;
import io.consilium.profiler.internal.McqGrader;
import io.consilium.profiler.internal.NumberGrader;
import io.consilium.profiler.internal.RegexGrader;
import io.consilium.registry.ExpertClient;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/** The grader for each answer type, and the check that an item's answer can be graded at all. */
public final class Graders {

    private static final int MAX_QUOTED_ANSWER = 60;

    private Graders() {}

    /**
     * @param judge the expert that grades {@link AnswerType#JUDGE} items; ignored for other types
     * @throws IllegalArgumentException for {@link AnswerType#JUDGE} without a judge
     */
    public static Grader forType(AnswerType type, @Nullable ExpertClient judge) {
        return switch (type) {
            case MCQ -> new McqGrader();
            case NUMBER -> new NumberGrader();
            case EXACT -> new ExactGrader();
            case REGEX -> new RegexGrader();
            case JUDGE -> {
                if (judge == null) {
                    throw new IllegalArgumentException(
                            "answer type 'judge' needs an expert with the judge role to grade it, but none was given");
                }
                yield new JudgeGrader(judge);
            }
        };
    }

    /**
     * Rejects an item whose answer its grader cannot use: an MCQ answer that is not one letter A–J, a
     * NUMBER answer that is not a number, an EXACT answer that is empty once normalised, a REGEX answer
     * that is empty or invalid. JUDGE answers are guidance and always accepted.
     *
     * @throws IllegalArgumentException naming the item and the problem
     */
    public static void validate(ProfilingItem item) {
        String answer = item.answer();
        switch (item.answerType()) {
            case MCQ -> {
                if (McqGrader.referenceLetter(answer).isEmpty()) {
                    throw invalid(item, "its mcq answer must be one letter A to J, such as \"C\" or \"(C)\", but is "
                            + quoted(answer));
                }
            }
            case NUMBER -> {
                if (AnswerExtraction.parseNumber(answer).isEmpty()) {
                    throw invalid(item, "its number answer must be a number, such as \"42\", \"-1.5e3\" or \"3/4\", "
                            + "but is " + quoted(answer));
                }
            }
            case EXACT -> {
                if (AnswerExtraction.normalise(answer).isEmpty()) {
                    throw invalid(item, "its exact answer is empty once punctuation and markdown are dropped: "
                            + quoted(answer));
                }
            }
            case REGEX -> {
                if (answer.isEmpty()) {
                    throw invalid(item, "its regex answer is empty, which would match every response");
                }
                try {
                    RegexGrader.compile(answer);
                } catch (PatternSyntaxException e) {
                    throw invalid(item, "its regex answer is not a valid regular expression: " + e.getDescription()
                            + " near index " + e.getIndex() + " of " + quoted(answer));
                }
            }
            case JUDGE -> {
                // Guidance for the judge: any text will do, even none.
            }
        }
    }

    private static IllegalArgumentException invalid(ProfilingItem item, String problem) {
        return new IllegalArgumentException("item '" + item.id() + "': " + problem);
    }

    private static String quoted(String answer) {
        String shown = answer.length() <= MAX_QUOTED_ANSWER ? answer : answer.substring(0, MAX_QUOTED_ANSWER) + "…";
        return "\"" + shown + "\"";
    }
}
