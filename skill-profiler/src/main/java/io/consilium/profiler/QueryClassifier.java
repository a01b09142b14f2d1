package io.consilium.profiler;

/** Finds the skills a query needs. Implementations are thread-safe. */
public interface QueryClassifier {

    /**
     * Classifies one query.
     *
     * @param text the query; callers reject empty and oversized input first
     * @return probabilities over the classifier's skills, highest first
     */
    SkillVector classify(String text);
}
