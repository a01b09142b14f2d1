package io.consilium.aggregator;

/**
 * One expert's answer offered for fusion.
 *
 * @param expertId who answered
 * @param text the full answer
 * @param weight how much the expert's word counts: its routing score for this request
 */
public record CandidateAnswer(String expertId, String text, double weight) {

    public CandidateAnswer {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be a finite number >= 0, but was " + weight);
        }
    }
}
