package io.consilium.profiler;

import java.util.List;

/**
 * How a classifier head was trained and how well it generalises.
 *
 * @param fingerprint the taxonomy fingerprint it was trained on
 * @param skills number of skills
 * @param examples number of exemplars
 * @param crossValidatedTop1 5-fold cross-validated top-1 accuracy on the exemplars
 * @param crossValidatedTop3 same, top-3
 * @param temperature the fitted softmax temperature
 * @param millis training time, embedding of new exemplars included
 * @param confusions the most frequent cross-validation mistakes, most frequent first
 */
public record TrainingSummary(String fingerprint, int skills, int examples, double crossValidatedTop1,
        double crossValidatedTop3, double temperature, long millis, List<Confusion> confusions) {

    public TrainingSummary {
        confusions = List.copyOf(confusions);
    }

    /**
     * Exemplars of one skill that cross-validation put into another.
     *
     * @param actual the skill the exemplars belong to
     * @param predicted the skill they were classified as
     * @param count how many
     */
    public record Confusion(String actual, String predicted, int count) {}
}
