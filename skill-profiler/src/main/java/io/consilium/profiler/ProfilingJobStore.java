package io.consilium.profiler;

import java.util.List;
import java.util.Optional;

/** Where profiling job snapshots are kept, so that status outlives the node that ran the job. */
public interface ProfilingJobStore {

    void save(ProfilingJobStatus status);

    Optional<ProfilingJobStatus> find(String id);

    /** The most recently started jobs first, at most {@code limit}. */
    List<ProfilingJobStatus> recent(int limit);
}
