package io.consilium.aggregator;

import java.util.List;
import java.util.stream.Collectors;

/** No expert answered, so there is nothing to fuse. Carries every expert asked and why it gave no answer. */
public class NoAnswerException extends RuntimeException {

    private final List<Unanswered> experts;

    public NoAnswerException(List<Unanswered> experts) {
        super("No expert answered: " + experts.stream().map(e -> e.expertId() + " (" + e.outcome() + ")")
                .collect(Collectors.joining(", ")) + ".");
        this.experts = List.copyOf(experts);
    }

    /** The experts asked, in the order they were asked, with why each gave no answer. */
    public List<Unanswered> experts() {
        return experts;
    }
}
