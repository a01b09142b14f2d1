package io.consilium.profiler;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Where expert profiles are kept. Updates are atomic read-modify-writes that bump the version. */
public interface ProfileStore {

    Optional<ExpertProfile> find(String expertId);

    /** Every profile, ordered by expert id. */
    List<ExpertProfile> findAll();

    /**
     * Applies the change to the expert's profile (an empty one if it has none), stores the result under
     * the next version and returns it.
     */
    ExpertProfile update(String expertId, UnaryOperator<ExpertProfile> change);

    /** Forgets an expert's profile. */
    void delete(String expertId);
}
