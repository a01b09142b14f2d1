package io.consilium.profiler;

/** Decides whether an expert's answer to a profiling item is correct. Thread-safe. */
@FunctionalInterface
public interface Grader {

    /**
     * @param item the item, with its reference answer
     * @param response the expert's full answer text
     * @throws io.consilium.registry.ExpertException when a judge expert fails (an error, not a wrong answer)
     */
    Grade grade(ProfilingItem item, String response);
}
