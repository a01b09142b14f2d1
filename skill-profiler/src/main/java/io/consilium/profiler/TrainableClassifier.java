package io.consilium.profiler;

import java.util.Optional;

/** A classifier that learns from the taxonomy's exemplars and can be retrained without a restart. */
public interface TrainableClassifier extends QueryClassifier {

    /** Trains a new head on the taxonomy and starts using it; classification goes on meanwhile. */
    TrainingSummary retrain(SkillTaxonomy taxonomy);

    /** The last training in this process, empty when the shipped head is in use. */
    Optional<TrainingSummary> lastTraining();
}
