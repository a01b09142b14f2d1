package io.consilium.registry;

/**
 * Prices of an expert in US dollars per million tokens.
 *
 * @param inputPerMtok price of a million prompt tokens
 * @param outputPerMtok price of a million completion tokens
 */
public record Cost(double inputPerMtok, double outputPerMtok) {

    public static final Cost FREE = new Cost(0, 0);

    public Cost {
        requireNonNegative("cost.input-per-mtok", inputPerMtok);
        requireNonNegative("cost.output-per-mtok", outputPerMtok);
    }

    /** The price of one call with the given token counts. */
    public double priceOf(long promptTokens, long completionTokens) {
        return (promptTokens * inputPerMtok + completionTokens * outputPerMtok) / 1_000_000.0;
    }

    private static void requireNonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InvalidExpertException(field, value, "must be a finite number >= 0");
        }
    }
}
