package io.consilium.router.state;

import io.consilium.router.profiling.ReplicatedProfileStore;
import io.consilium.router.profiling.RedisProfileStore;
import io.consilium.router.experts.ReplicatedExpertStore;
import io.consilium.router.experts.RedisExpertStore;
import io.consilium.router.experts.ExpertCodec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.consilium.profiler.ExpertProfile;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.registry.SecretCipher;
import io.consilium.router.testing.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas' stores (each with its own Redis client and change bus) on one Redis: changes travel
 * between them, reads survive an outage, and what they held comes back after Redis lost its data.
 */
class LocalCopiesIT {

    private static final SecretCipher CIPHER = SecretCipher.withMasterKey("a-master-key-for-the-tests");
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();
    private Replica replicaA;
    private Replica replicaB;

    @BeforeEach
    void startReplicas() {
        redis.flushAll();
        replicaA = new Replica(redis.server().url());
        replicaB = new Replica(redis.server().url());
    }

    @AfterEach
    void stopReplicas() {
        redis.server().startAgain();
        replicaA.close();
        replicaB.close();
    }

    private static Expert expert(String id) {
        return Expert.builder(id).provider(Provider.OPENAI).baseUrl("http://127.0.0.1:9/v1").model("m")
                .apiKey("sk-" + id).build();
    }

    @Test
    void should_show_on_one_replica_within_a_second_what_was_changed_on_the_other() {
        // when
        replicaA.experts.create(expert("alpha"));
        replicaA.profiles.update("alpha", profile -> profile.withAnswer(Map.of("law", 1.0), true));

        // then
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(replicaB.experts.find("alpha")).contains(expert("alpha"));
            assertThat(replicaB.profiles.find("alpha")).hasValueSatisfying(p -> assertThat(p.version()).isEqualTo(1));
        });

        // when
        replicaB.experts.update(expert("alpha").toBuilder().enabled(false).build());
        replicaB.experts.create(expert("bravo"));

        // then
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(replicaA.experts.findAll())
                .extracting(Expert::id, Expert::enabled)
                .containsExactly(tuple("alpha", false),
                        tuple("bravo", true)));

        // when
        replicaA.experts.delete("alpha");

        // then
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(replicaB.experts.find("alpha")).isEmpty();
            assertThat(replicaB.removedElsewhere).contains("alpha");
        });
    }

    @Test
    void should_serve_reads_from_the_local_copy_and_refuse_writes_while_redis_is_down() {
        // given
        replicaA.experts.create(expert("alpha"));
        replicaA.profiles.update("alpha", ExpertProfile::withError);
        await().atMost(Duration.ofSeconds(1)).until(() -> replicaB.experts.find("alpha").isPresent()
                && replicaB.profiles.find("alpha").isPresent());

        // when
        redis.server().stop();
        replicaB.bus.requestResync(Duration.ZERO);

        // then
        assertThatThrownBy(() -> replicaA.experts.create(expert("bravo")))
                .isInstanceOf(StateUnavailableException.class)
                // a write first checks that Redis did not lose the experts meanwhile
                .hasMessageStartingWith("Shared state (Redis) is unreachable: could not check that Redis still holds the experts")
                .message().doesNotContain(redis.server().url());
        assertThatThrownBy(() -> replicaA.profiles.update("alpha", ExpertProfile::withError))
                .isInstanceOf(StateUnavailableException.class);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(replicaB.experts.find("alpha")).isPresent();
            assertThat(replicaB.experts.findAll()).extracting(Expert::id).containsExactly("alpha");
            assertThat(replicaB.profiles.find("alpha")).isPresent();
        });
    }

    @Test
    void should_write_back_what_the_replicas_held_when_redis_comes_back_empty() {
        // given
        replicaA.experts.create(expert("alpha"));
        replicaB.experts.create(expert("bravo"));
        replicaA.profiles.update("alpha", ExpertProfile::withError);
        await().atMost(Duration.ofSeconds(1)).until(() -> replicaB.experts.findAll().size() == 2);

        // when: a restart without persistence
        redis.server().stop();
        redis.server().startAgain();

        // then
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
            assertThat(redis.commands().hkeys(RedisExpertStore.EXPERTS)).containsExactlyInAnyOrder("alpha", "bravo");
            assertThat(redis.commands().hkeys(RedisProfileStore.PROFILES)).containsExactly("alpha");
        });
        assertThat(replicaA.experts.findAll()).extracting(Expert::id).containsExactly("alpha", "bravo");

        // and writes work again, and travel again
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> replicaA.experts.create(expert("charlie")));
        await().atMost(Duration.ofSeconds(1)).until(() -> replicaB.experts.find("charlie").isPresent());
    }

    @Test
    void should_never_bring_back_an_expert_that_was_deleted_on_purpose() {
        // given
        replicaA.experts.create(expert("alpha"));
        await().atMost(Duration.ofSeconds(1)).until(() -> replicaB.experts.find("alpha").isPresent());
        replicaA.experts.delete("alpha");
        await().atMost(Duration.ofSeconds(1)).until(() -> replicaB.experts.find("alpha").isEmpty());

        // when: both resync with an empty (but not lost) catalogue
        replicaA.bus.requestResync(Duration.ZERO);
        replicaB.bus.requestResync(Duration.ZERO);

        // then
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(redis.commands().hexists(RedisExpertStore.EXPERTS, "alpha")).isFalse();
            assertThat(replicaA.experts.findAll()).isEmpty();
            assertThat(replicaB.experts.findAll()).isEmpty();
        });
    }

    @Test
    void should_refill_redis_with_the_union_when_a_replica_started_on_it_while_it_was_empty() {
        // given
        replicaA.experts.create(expert("alpha"));
        replicaA.profiles.update("alpha", ExpertProfile::withError);
        await().atMost(Duration.ofSeconds(1)).until(() -> replicaB.experts.find("alpha").isPresent()
                && replicaB.profiles.find("alpha").isPresent());

        // when: Redis loses its data, and a new replica starts on it and writes before the others resync
        redis.flushAll();
        try (Replica late = new Replica(redis.server().url())) {
            late.experts.create(expert("charlie"));
            replicaA.bus.requestResync(Duration.ZERO);
            replicaB.bus.requestResync(Duration.ZERO);

            // then
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                assertThat(redis.commands().hkeys(RedisExpertStore.EXPERTS)).containsExactlyInAnyOrder("alpha", "charlie");
                assertThat(redis.commands().hkeys(RedisProfileStore.PROFILES)).containsExactly("alpha");
                assertThat(replicaB.experts.findAll()).extracting(Expert::id).containsExactly("alpha", "charlie");
            });
            late.bus.requestResync(Duration.ZERO);
            await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(late.experts.findAll()).extracting(Expert::id).containsExactly("alpha", "charlie"));
        }
    }

    @Test
    void should_refill_redis_from_the_copy_before_a_write_made_after_it_lost_its_data() {
        // given
        replicaA.experts.create(expert("alpha"));
        replicaA.profiles.update("alpha", profile -> profile.withAnswer(Map.of("law", 1.0), true));
        await().atMost(Duration.ofSeconds(1)).until(() -> replicaB.profiles.find("alpha").isPresent());

        // when: Redis lost its data, and writes come before any resync
        redis.flushAll();
        ExpertProfile updated = replicaB.profiles.update("alpha", ExpertProfile::withError);
        boolean disabled = replicaB.experts.update(expert("alpha").toBuilder().enabled(false).build());

        // then: the profile went on from what the replicas held, not from zero
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.skills().get("law").attempted()).isEqualTo(1.0);
        assertThat(updated.errors()).isEqualTo(1);
        assertThat(disabled).isTrue();
        assertThat(new RedisExpertStore(redis.connection(), new ExpertCodec(CIPHER)).find("alpha"))
                .hasValueSatisfying(stored -> assertThat(stored.enabled()).isFalse());
    }

    @Test
    void should_never_bring_back_an_item_deleted_after_the_refill_even_from_a_replica_that_missed_the_deletion() {
        // given: both replicas hold alpha; Redis lost it and one replica refilled it
        replicaA.experts.create(expert("alpha"));
        replicaA.profiles.update("alpha", ExpertProfile::withError);
        await().atMost(Duration.ofSeconds(1)).until(() -> replicaB.experts.find("alpha").isPresent()
                && replicaB.profiles.find("alpha").isPresent());
        redis.flushAll();
        replicaA.bus.requestResync(Duration.ZERO);
        await().atMost(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> redis.commands().hexists(RedisExpertStore.EXPERTS, "alpha"));

        // when: alpha is deleted without an announcement, then the other replica refills late
        new RedisExpertStore(redis.connection(), new ExpertCodec(CIPHER)).delete("alpha");
        new RedisProfileStore(redis.connection(), Clock.systemUTC()).delete("alpha");
        replicaB.bus.requestResync(Duration.ZERO);

        // then
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(redis.commands().hexists(RedisExpertStore.EXPERTS, "alpha")).isFalse();
            assertThat(redis.commands().hexists(RedisProfileStore.PROFILES, "alpha")).isFalse();
            assertThat(replicaB.experts.findAll()).isEmpty();
        });
    }

    @Test
    void should_pick_up_on_resync_a_change_whose_announcement_was_missed() {
        // given: a change written behind the replicas' backs, announced to nobody
        RedisExpertStore behindTheirBacks = new RedisExpertStore(redis.connection(), new ExpertCodec(CIPHER));
        behindTheirBacks.create(expert("sneaky"));

        // when
        replicaB.bus.requestResync(Duration.ZERO);

        // then
        await().atMost(Duration.ofSeconds(1)).until(() -> replicaB.experts.find("sneaky").isPresent());
        assertThat(replicaA.experts.find("sneaky")).isEmpty();
    }

    /** One replica's state: its own client, change bus and stores. */
    private static final class Replica implements AutoCloseable {

        private final ClientResources resources = RedisClients.resources();
        private final RedisClient client;
        private final StatefulRedisConnection<String, String> connection;
        private final RedisChangeBus bus;
        private final ReplicatedExpertStore experts;
        private final ReplicatedProfileStore profiles;
        private final List<String> removedElsewhere = new CopyOnWriteArrayList<>();

        Replica(String url) {
            client = RedisClients.create(resources, RedisFixture.settings(url));
            connection = client.connect();
            bus = new RedisChangeBus(client, connection, Duration.ofHours(1));
            experts = new ReplicatedExpertStore(new RedisExpertStore(connection, new ExpertCodec(CIPHER)), bus,
                    removedElsewhere::add);
            profiles = new ReplicatedProfileStore(new RedisProfileStore(connection, Clock.systemUTC()), bus);
        }

        @Override
        public void close() {
            bus.close();
            connection.close();
            client.shutdown();
            resources.shutdown();
        }
    }
}
