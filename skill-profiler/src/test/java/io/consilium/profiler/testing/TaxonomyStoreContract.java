package io.consilium.profiler.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.profiler.Skill;
import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.TaxonomyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaxonomyStore} must do. Extend it once per implementation and return a store that
 * holds no taxonomy from {@link #newEmptyStore()}.
 */
public abstract class TaxonomyStoreContract {

    protected TaxonomyStore store;

    protected abstract TaxonomyStore newEmptyStore();

    @BeforeEach
    void setUpStore() {
        store = newEmptyStore();
    }

    protected static SkillTaxonomy taxonomy(long version, String... skillIds) {
        List<Skill> skills = new ArrayList<>();
        for (String id : skillIds) {
            skills.add(new Skill(id, "all about " + id, List.of(id + " question one", id + " question two",
                    id + " question three", id + " question four", id + " question five")));
        }
        return new SkillTaxonomy(version, skills);
    }

    @Test
    void should_load_nothing_when_never_changed() {
        assertThat(store.load()).isEmpty();
    }

    @Test
    void should_store_the_first_change_only_on_version_zero() {
        // when
        boolean wrongVersion = store.compareAndSet(3, taxonomy(4, "law"));
        boolean first = store.compareAndSet(0, taxonomy(1, "law"));

        // then
        assertThat(wrongVersion).isFalse();
        assertThat(first).isTrue();
        assertThat(store.load()).hasValueSatisfying(loaded -> assertThat(loaded.version()).isEqualTo(1));
    }

    @Test
    void should_refuse_a_change_made_on_a_stale_version() {
        // given
        store.compareAndSet(0, taxonomy(1, "law"));
        store.compareAndSet(1, taxonomy(2, "law", "cooking"));

        // when
        boolean stale = store.compareAndSet(1, taxonomy(2, "law", "gardening"));

        // then
        assertThat(stale).isFalse();
        assertThat(store.load().orElseThrow().ids()).containsExactly("law", "cooking");
    }

    @Test
    void should_keep_skills_descriptions_and_exemplars_in_order() {
        // given
        SkillTaxonomy changed = new SkillTaxonomy(1, List.of(
                new Skill("math.algebra", "equations, \"quoted\" and unicode: äöü ∑", List.of("solve x+1=2", "a\nb",
                        "factor x^2-1", "tab\there", "emoji 🙂")),
                new Skill("law", "statutes", List.of("is this legal", "contract terms", "d", "e", "f"))));

        // when
        store.compareAndSet(0, changed);

        // then
        SkillTaxonomy loaded = store.load().orElseThrow();
        assertThat(loaded.version()).isEqualTo(1);
        assertThat(loaded.skills()).containsExactlyElementsOf(changed.skills());
        assertThat(loaded.fingerprint()).isEqualTo(changed.fingerprint());
    }

    @Test
    void should_let_exactly_one_of_many_concurrent_writers_on_the_same_version_win() throws Exception {
        // given
        store.compareAndSet(0, taxonomy(1, "law"));
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String skill = "skill" + i;
            attempts.add(() -> store.compareAndSet(1, taxonomy(2, "law", skill)));
        }

        // when
        List<Future<Boolean>> outcomes;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            outcomes = pool.invokeAll(attempts);
        }

        // then
        long winners = 0;
        for (Future<Boolean> outcome : outcomes) {
            winners += outcome.get() ? 1 : 0;
        }
        assertThat(winners).isEqualTo(1);
        assertThat(store.load().orElseThrow().version()).isEqualTo(2);
    }
}
