package io.consilium.profiler.internal;

import io.consilium.profiler.ProfilingJobStatus;
import io.consilium.profiler.ProfilingJobStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps the snapshots of the most recent jobs in memory; older ones are dropped. */
public final class InMemoryProfilingJobStore implements ProfilingJobStore {

    private final int capacity;
    private final Map<String, ProfilingJobStatus> jobs = new ConcurrentHashMap<>();

    public InMemoryProfilingJobStore(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void save(ProfilingJobStatus status) {
        jobs.put(status.id(), status);
        if (jobs.size() > capacity) {
            List<ProfilingJobStatus> finished = new ArrayList<>(jobs.values().stream()
                    .filter(job -> job.status().isFinal()).toList());
            finished.sort(Comparator.comparing(ProfilingJobStatus::finishedAt, Comparator.nullsLast(Comparator.naturalOrder())));
            for (int i = 0; i < finished.size() && jobs.size() > capacity; i++) {
                jobs.remove(finished.get(i).id());
            }
        }
    }

    @Override
    public Optional<ProfilingJobStatus> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public List<ProfilingJobStatus> recent(int limit) {
        return jobs.values().stream()
                .sorted(Comparator.comparing(ProfilingJobStatus::startedAt,
                        Comparator.nullsFirst(Comparator.<java.time.Instant>naturalOrder())).reversed())
                .limit(limit)
                .toList();
    }
}
