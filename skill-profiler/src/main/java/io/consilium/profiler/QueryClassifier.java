package io.consilium.profiler;

import java.util.List;

/** Finds the skills a query needs. Implementations are thread-safe. */
public interface QueryClassifier {

    /**
     * Classifies one query.
     *
     * @param text the query; callers reject empty and oversized input first
     * @return probabilities over the classifier's skills, highest first
     */
    SkillVector classify(String text);

    /**
     * Classifies several queries, in order. Classifiers that can run them through their model together
     * do so (one inference for the lot); others classify them one by one.
     */
    default List<SkillVector> classifyAll(List<String> texts) {
        return texts.stream().map(this::classify).toList();
    }
}
