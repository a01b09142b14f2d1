package io.consilium.profiler;

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
 */
public record TrainingSummary(String fingerprint, int skills, int examples, double crossValidatedTop1,
        double crossValidatedTop3, double temperature, long millis) {}
