package io.consilium.profiler;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a profiling item's answer is checked. */
public enum AnswerType {
    /** A choice letter, found in free text such as "The answer is (C)". */
    MCQ("mcq"),
    /** A number, compared with a tolerance. */
    NUMBER("number"),
    /** Text equal to the answer after normalisation. */
    EXACT("exact"),
    /** Text matching the answer as a regular expression. */
    REGEX("regex"),
    /** An expert with the judge role decides. */
    JUDGE("judge");

    private final String id;

    AnswerType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<AnswerType> fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(type -> type.id.equals(wanted)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
