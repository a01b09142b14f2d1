package io.consilium.profiler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.profiler.ExpertProfile;
import io.consilium.profiler.ProfileStore;
import io.consilium.profiler.SkillCounts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ProfileStore} must do. Extend it once per implementation and return a store with no
 * profiles from {@link #newEmptyStore(Clock)}, stamping changes with the given clock.
 */
public abstract class ProfileStoreContract {

    /** A fixed time with sub-second precision, to show that stamps survive a round trip exactly. */
    protected static final Instant NOW = Instant.parse("2026-03-01T12:34:56.789Z");

    protected ProfileStore store;

    protected abstract ProfileStore newEmptyStore(Clock clock);

    @BeforeEach
    void setUpStore() {
        store = newEmptyStore(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void should_find_nothing_when_empty() {
        assertThat(store.findAll()).isEmpty();
        assertThat(store.find("missing")).isEmpty();
    }

    @Test
    void should_start_from_an_empty_profile_and_stamp_version_one() {
        // when
        ExpertProfile stored = store.update("alpha", profile -> profile.withAnswer(Map.of("law", 1.0), true));

        // then
        assertThat(stored.expertId()).isEqualTo("alpha");
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.updatedAt()).isEqualTo(NOW);
        assertThat(stored.counts("law")).isEqualTo(new SkillCounts(1, 1));
        assertThat(store.find("alpha")).contains(stored);
    }

    @Test
    void should_apply_each_change_to_the_current_profile_and_bump_the_version() {
        // given
        store.update("alpha", profile -> profile.withAnswer(Map.of("law", 1.0), true));

        // when
        ExpertProfile stored = store.update("alpha", profile -> profile
                .withAnswer(Map.of("law", 0.25, "math.algebra", 0.75), false)
                .withFusion(true)
                .withError());

        // then
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.counts("law")).isEqualTo(new SkillCounts(1, 1.25));
        assertThat(stored.counts("math.algebra")).isEqualTo(new SkillCounts(0, 0.75));
        assertThat(stored.fusion()).isEqualTo(new SkillCounts(1, 1));
        assertThat(stored.errors()).isEqualTo(1);
        assertThat(store.find("alpha")).contains(stored);
    }

    @Test
    void should_list_profiles_ordered_by_expert_id() {
        // given
        for (String id : List.of("charlie", "alpha", "bravo")) {
            store.update(id, ExpertProfile::withError);
        }

        // then
        assertThat(store.findAll()).extracting(ExpertProfile::expertId).containsExactly("alpha", "bravo", "charlie");
    }

    @Test
    void should_forget_a_deleted_profile_and_start_again_from_version_one() {
        // given
        store.update("alpha", ExpertProfile::withError);
        store.update("alpha", ExpertProfile::withError);

        // when
        store.delete("alpha");
        store.delete("never-there");

        // then
        assertThat(store.find("alpha")).isEmpty();
        assertThat(store.update("alpha", ExpertProfile::withError).version()).isEqualTo(1);
    }

    @Test
    void should_lose_no_change_when_many_writers_update_one_profile_at_once() throws Exception {
        // given
        int writers = 24;
        List<Callable<ExpertProfile>> changes = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            changes.add(() -> store.update("contested", profile -> profile.withAnswer(Map.of("law", 1.0), true)));
        }

        // when
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var outcome : pool.invokeAll(changes)) {
                outcome.get();
            }
        }

        // then
        ExpertProfile stored = store.find("contested").orElseThrow();
        assertThat(stored.version()).isEqualTo(writers);
        assertThat(stored.counts("law")).isEqualTo(new SkillCounts(writers, writers));
    }
}
