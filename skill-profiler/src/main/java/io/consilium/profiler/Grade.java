package io.consilium.profiler;

import org.jspecify.annotations.Nullable;

/**
 * The verdict on one answer.
 *
 * @param correct whether the answer is right
 * @param extracted what the grader read as the answer (a letter, a number, normalised text), if anything
 */
public record Grade(boolean correct, @Nullable String extracted) {

    public static Grade right(@Nullable String extracted) {
        return new Grade(true, extracted);
    }

    public static Grade wrong(@Nullable String extracted) {
        return new Grade(false, extracted);
    }
}
