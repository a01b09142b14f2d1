package io.consilium.aggregator.internal;

/** Whether an answer meets the request's constraints on its form. */
sealed interface Verdict {

    /**
     * The answer may be used.
     *
     * @param text its text as it is to be sent: under JSON mode the bare JSON, without a markdown fence
     */
    record Accepted(String text) implements Verdict {}

    /**
     * The answer may not be used.
     *
     * @param reason what is wrong with it, as the end of a sentence about the answer: "was not valid JSON"
     */
    record Refused(String reason) implements Verdict {}
}
