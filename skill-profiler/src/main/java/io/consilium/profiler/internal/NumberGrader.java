package io.consilium.profiler.internal;

import io.consilium.aggregator.AnswerExtraction;
import io.consilium.profiler.Grade;
import io.consilium.profiler.Grader;
import io.consilium.profiler.ProfilingItem;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Correct when the response's final number equals the reference within |a − b| ≤ max(1e-6, 1e-4·|b|).
 * Forms are not converted: "50%" is 50, so it does not match a reference of 0.5 (write the reference
 * the way the question asks for it).
 */
public final class NumberGrader implements Grader {

    private static final BigDecimal ABSOLUTE = new BigDecimal("1e-6");
    private static final BigDecimal RELATIVE = new BigDecimal("1e-4");

    @Override
    public Grade grade(ProfilingItem item, String response) {
        BigDecimal expected = AnswerExtraction.parseNumber(item.answer()).orElseThrow(() ->
                new IllegalArgumentException("item '" + item.id() + "': its number answer is not a number"));
        Optional<BigDecimal> found = AnswerExtraction.number(response);
        return new Grade(found.filter(value -> close(value, expected)).isPresent(),
                found.map(value -> value.stripTrailingZeros().toPlainString()).orElse(null));
    }

    static boolean close(BigDecimal actual, BigDecimal expected) {
        BigDecimal tolerance = ABSOLUTE.max(RELATIVE.multiply(expected.abs()));
        return actual.subtract(expected).abs().compareTo(tolerance) <= 0;
    }
}
