package io.consilium.router.batchapi;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a batch's work was grouped and how it went, for the batch's {@code consilium} field. Totals over every
 * run of the batch: a batch resumed after a restart counts again the lines it had to redo.
 *
 * @param groups requests grouped for each expert when the lines were planned (direct and recruited experts)
 * @param aggregatorGroups synthesis requests grouped for each aggregator
 * @param experts every call made, by expert: reserves and aggregators included
 * @param modelLoads local model loads counted while the batch ran (by every user of the service)
 */
record BatchStats(Map<String, Integer> groups, Map<String, Integer> aggregatorGroups, Map<String, ExpertCounts> experts,
        long modelLoads) {

    static final BatchStats NONE = new BatchStats(Map.of(), Map.of(), Map.of(), 0);

    /** Kept sorted by expert id, so that the batch object reads the same every time. */
    BatchStats {
        groups = Collections.unmodifiableMap(new TreeMap<>(groups));
        aggregatorGroups = Collections.unmodifiableMap(new TreeMap<>(aggregatorGroups));
        experts = Collections.unmodifiableMap(new TreeMap<>(experts));
    }

    BatchStats plus(BatchStats other) {
        Map<String, Integer> groupSum = new TreeMap<>(groups);
        other.groups.forEach((id, n) -> groupSum.merge(id, n, Integer::sum));
        Map<String, Integer> aggregatorSum = new TreeMap<>(aggregatorGroups);
        other.aggregatorGroups.forEach((id, n) -> aggregatorSum.merge(id, n, Integer::sum));
        Map<String, ExpertCounts> expertSum = new TreeMap<>(experts);
        other.experts.forEach((id, counts) -> expertSum.merge(id, counts, ExpertCounts::plus));
        return new BatchStats(groupSum, aggregatorSum, expertSum, modelLoads + other.modelLoads);
    }

    /**
     * @param requests calls made to the expert
     * @param answered calls it answered
     * @param failed calls that failed
     * @param modelLoads loads of its local model counted while the batch ran
     */
    record ExpertCounts(int requests, int answered, int failed, long modelLoads) {

        ExpertCounts plus(ExpertCounts other) {
            return new ExpertCounts(requests + other.requests, answered + other.answered, failed + other.failed,
                    modelLoads + other.modelLoads);
        }
    }
}
