package io.consilium.router.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.profiler.Skill;
import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.TaxonomyService;
import io.consilium.router.state.LocalChangeBus;
import io.consilium.router.state.RedisChangeBus;
import io.consilium.router.testing.RedisFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two replicas' taxonomies on one Redis: a change on one reaches the other and its listeners. */
class TaxonomyFollowerIT {

    private static final List<String> FIVE = List.of("boil an egg", "make a roux", "bake bread", "sharpen a knife",
            "cook rice");
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();
    private RedisChangeBus busA;
    private RedisChangeBus busB;
    private TaxonomyService taxonomyA;
    private TaxonomyService taxonomyB;
    private final List<SkillTaxonomy> heardByB = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReplicas() {
        redis.flushAll();
        SkillTaxonomy small = new SkillTaxonomy(0, List.of(new Skill("law", "statutes", FIVE)));
        new RedisTaxonomyStore(redis.connection()).compareAndSet(0, new SkillTaxonomy(1, small.skills()));
        busA = new RedisChangeBus(redis.client(), redis.connection(), Duration.ofHours(1));
        busB = new RedisChangeBus(redis.client(), redis.connection(), Duration.ofHours(1));
        taxonomyA = replica(busA);
        taxonomyB = replica(busB);
        taxonomyB.onChange(heardByB::add);
    }

    private static TaxonomyService replica(RedisChangeBus bus) {
        TaxonomyService taxonomy = new TaxonomyService(
                new ReplicatedTaxonomyStore(new RedisTaxonomyStore(redis.connection()), bus));
        new TaxonomyFollower(taxonomy, new RedisTaxonomyStore(redis.connection()), bus);
        return taxonomy;
    }

    @AfterEach
    void closeBuses() {
        busA.close();
        busB.close();
    }

    @Test
    void should_bring_a_change_made_on_one_replica_to_the_other_and_its_listeners() {
        // when
        SkillTaxonomy changed = taxonomyA.addSkill("cooking", "recipes", FIVE);

        // then
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(taxonomyB.current().version()).isEqualTo(changed.version());
            assertThat(taxonomyB.contains("cooking")).isTrue();
            assertThat(heardByB).extracting(SkillTaxonomy::version).containsExactly(changed.version());
        });
    }

    @Test
    void should_write_the_taxonomy_back_on_resync_when_redis_lost_it_and_keep_it_meanwhile() {
        // given
        taxonomyA.addSkill("cooking", "recipes", FIVE);
        await().atMost(Duration.ofSeconds(5)).until(() -> taxonomyB.contains("cooking"));

        // when: Redis lost its data, then a replica resyncs
        redis.flushAll();
        busB.requestResync(Duration.ZERO);

        // then
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(new RedisTaxonomyStore(redis.connection()).load()).hasValueSatisfying(stored -> {
                    assertThat(stored.version()).isEqualTo(2);
                    assertThat(stored.contains("cooking")).isTrue();
                }));
        assertThat(taxonomyA.contains("cooking")).isTrue();
        assertThat(taxonomyB.contains("cooking")).isTrue();
    }

    @Test
    void should_keep_the_newest_taxonomy_when_a_replica_holding_an_older_one_writes_it_back_first() {
        // given: A holds version 3, B missed that change and holds version 2
        taxonomyA.addSkill("cooking", "recipes", FIVE);
        await().atMost(Duration.ofSeconds(5)).until(() -> taxonomyB.contains("cooking"));
        busB.close();
        taxonomyA.addExemplars("cooking", List.of("poach a pear"));
        assertThat(taxonomyB.current().version()).isEqualTo(2);

        // when: Redis lost its data; B writes back first, then A
        redis.flushAll();
        new TaxonomyFollower(taxonomyB, new RedisTaxonomyStore(redis.connection()), new LocalChangeBus()).resync();
        busA.requestResync(Duration.ZERO);

        // then
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(new RedisTaxonomyStore(redis.connection()).load()).hasValueSatisfying(stored -> {
                    assertThat(stored.version()).isEqualTo(3);
                    assertThat(stored.find("cooking").orElseThrow().exemplars()).contains("poach a pear");
                }));
        assertThat(taxonomyA.current().version()).isEqualTo(3);
    }

    @Test
    void should_store_a_change_made_after_redis_lost_the_taxonomy_on_top_of_the_one_held() {
        // given
        taxonomyA.addSkill("cooking", "recipes", FIVE);
        await().atMost(Duration.ofSeconds(5)).until(() -> taxonomyB.contains("cooking"));

        // when: Redis lost its data and a change comes before any resync
        redis.flushAll();
        SkillTaxonomy changed = taxonomyB.addExemplars("cooking", List.of("poach a pear"));

        // then
        assertThat(changed.version()).isEqualTo(3);
        assertThat(new RedisTaxonomyStore(redis.connection()).load()).hasValueSatisfying(stored -> {
            assertThat(stored.version()).isEqualTo(3);
            assertThat(stored.contains("law")).isTrue();
            assertThat(stored.find("cooking").orElseThrow().exemplars()).contains("poach a pear");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> taxonomyA.current().version() == 3);
    }
}
