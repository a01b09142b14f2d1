package io.consilium.router.batchapi;

import java.util.Map;
import java.util.TreeMap;

/** Counts one run's grouping and calls as they happen, from any thread; {@link #snapshot} makes the stats. */
final class StatsCounter {

    private final Map<String, Integer> groups = new TreeMap<>();
    private final Map<String, Integer> aggregatorGroups = new TreeMap<>();
    private final Map<String, int[]> calls = new TreeMap<>();

    synchronized void grouped(String expertId, int requests) {
        groups.merge(expertId, requests, Integer::sum);
    }

    synchronized void aggregatorGrouped(String expertId, int requests) {
        aggregatorGroups.merge(expertId, requests, Integer::sum);
    }

    synchronized void called(String expertId, boolean answered) {
        int[] counts = calls.computeIfAbsent(expertId, id -> new int[2]);
        counts[answered ? 0 : 1]++;
    }

    synchronized BatchStats snapshot(ModelLoads.Reading loads) {
        Map<String, BatchStats.ExpertCounts> experts = new TreeMap<>();
        calls.forEach((id, counts) -> experts.put(id, new BatchStats.ExpertCounts(counts[0] + counts[1], counts[0],
                counts[1], loads.byExpert().getOrDefault(id, 0L))));
        loads.byExpert().forEach((id, count) ->
                experts.putIfAbsent(id, new BatchStats.ExpertCounts(0, 0, 0, count)));
        return new BatchStats(groups, aggregatorGroups, experts, loads.total());
    }
}
