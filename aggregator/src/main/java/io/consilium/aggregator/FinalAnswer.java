package io.consilium.aggregator;

import java.math.BigDecimal;

/**
 * The comparable core of an answer, for voting: two answers agree when their final answers are equal.
 *
 * @param kind what was read
 * @param value an upper-case letter, a plain number without trailing zeros, or normalised text
 */
public record FinalAnswer(Kind kind, String value) {

    /** What kind of answer was read. */
    public enum Kind {
        /** A multiple-choice letter, A to J. */
        CHOICE,
        /** A number, written so that equal numbers are equal strings. */
        NUMBER,
        /** Normalised free text. */
        TEXT
    }

    public static FinalAnswer choice(String letter) {
        return new FinalAnswer(Kind.CHOICE, letter);
    }

    public static FinalAnswer number(BigDecimal number) {
        // "4", "4.0" and "4.00" must vote together.
        return new FinalAnswer(Kind.NUMBER, number.stripTrailingZeros().toPlainString());
    }

    public static FinalAnswer text(String normalised) {
        return new FinalAnswer(Kind.TEXT, normalised);
    }
}
