package io.consilium.router.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.router.budgets.Budget;
import io.consilium.router.routing.RoutingCeiling;
import io.consilium.router.state.ChangeBus;
import io.consilium.router.state.LocalChangeBus;
import io.consilium.router.state.RedisChangeBus;
import io.consilium.router.testing.RedisFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * The key contract against a real Redis, that Redis holds hashes only, and that replicas refill Redis
 * with their keys after it lost its data without bringing a revoked key back to life.
 */
class RedisApiKeyStoreIT extends ApiKeyStoreContract {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected ApiKeyStore newEmptyStore() {
        redis.flushAll();
        return new RedisApiKeyStore(redis.connection(), JsonMapper.builder().build());
    }

    @Test
    void should_read_a_key_stored_before_budgets_and_ceilings_as_one_without_them() {
        // given: a key as stored by a version that knew neither field
        ApiKeys keys = new ApiKeys(store, new LocalChangeBus(), Clock.systemUTC());
        ApiKey stored = keys.create(new ApiKeys.Grant("older", List.of(), 7, 0, 0, null, Budget.NONE, RoutingCeiling.NONE))
                .stored();
        var json = (tools.jackson.databind.node.ObjectNode) JsonMapper.builder().build()
                .readTree(redis.commands().hget("consilium:keys", stored.id()));
        json.remove(List.of("budget", "ceiling"));
        redis.commands().hset("consilium:keys", stored.id(), json.toString());

        // when
        ApiKey read = store.find(stored.id()).orElseThrow();

        // then
        assertThat(json.has("budget")).isFalse();
        assertThat(read).isEqualTo(stored);
        assertThat(read.budget().limits()).isFalse();
        assertThat(read.ceiling().limits()).isFalse();
    }

    @Test
    void should_keep_only_the_hash_of_a_key_created_through_the_service() {
        // given
        ApiKeys keys = new ApiKeys(store, new io.consilium.router.state.LocalChangeBus(), java.time.Clock.systemUTC());

        // when
        ApiKeys.Created created = keys.create(new ApiKeys.Grant("ci", java.util.List.of(), 0, 0, 0, null, Budget.NONE, RoutingCeiling.NONE));

        // then
        String stored = redis.commands().hgetall("consilium:keys").toString();
        assertThat(stored).contains(KeyMaterial.hash(created.key())).doesNotContain(created.key());
        assertThat(keys.recognise(created.key()).status()).isEqualTo(ApiKeys.Recognition.Status.LIVE);
    }

    @Test
    void should_keep_a_key_revoked_when_a_replica_that_missed_the_revocation_refills_redis_first() {
        // given: two replicas know a key; it is revoked without the second hearing of it
        try (RedisChangeBus first = bus(); RedisChangeBus second = bus()) {
            ApiKeys informed = new ApiKeys(newStore(), first, Clock.systemUTC());
            ApiKeys stale = new ApiKeys(newStore(), second, Clock.systemUTC());
            ApiKeys.Created created = informed.create(new ApiKeys.Grant("revoked", List.of(), 0, 0, 0, null, Budget.NONE, RoutingCeiling.NONE));
            await().atMost(Duration.ofSeconds(1)).until(() -> live(stale, created));
            new ApiKeys(newStore(), new LocalChangeBus(), Clock.systemUTC()).revoke(created.stored().id());
            first.requestResync(Duration.ZERO);
            await().atMost(Duration.ofSeconds(1)).until(() -> !live(informed, created));
            assertThat(live(stale, created)).isTrue();

            // when: Redis lost its data; the stale replica writes its copy back first, then the informed one
            redis.flushAll();
            second.requestResync(Duration.ZERO);
            await().atMost(Duration.ofSeconds(1)).until(() -> store.find(created.stored().id()).isPresent());
            first.requestResync(Duration.ZERO);

            // then: the revocation wins, in Redis and, after its next resync, on the stale replica
            await().atMost(Duration.ofSeconds(1)).until(() -> store.find(created.stored().id()).orElseThrow().revoked());
            second.requestResync(Duration.ZERO);
            await().atMost(Duration.ofSeconds(1)).until(() -> !live(stale, created));
            assertThat(stale.recognise(created.key()).status()).isEqualTo(ApiKeys.Recognition.Status.REVOKED);
        }
    }

    @Test
    void should_write_back_the_keys_and_the_generated_admin_key_hash_after_redis_lost_its_data() {
        // given: a replica that generated the admin key and made an API key
        try (RedisChangeBus bus = bus()) {
            ApiKeys keys = new ApiKeys(store, bus, Clock.systemUTC());
            AdminKey.establish(null, store);
            String adminKeyHash = redis.commands().get("consilium:admin-key-hash");
            ApiKeys.Created created = keys.create(new ApiKeys.Grant("kept", List.of(), 0, 0, 0, null, Budget.NONE, RoutingCeiling.NONE));

            // when
            redis.flushAll();
            bus.requestResync(Duration.ZERO);

            // then: a replica starting now finds the same admin key hash, not none (it would make another key)
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(redis.commands().get("consilium:admin-key-hash")).isNotNull().isEqualTo(adminKeyHash);
                assertThat(store.find(created.stored().id())).contains(created.stored());
            });
            assertThat(live(keys, created)).isTrue();
        }
    }

    @Test
    void should_write_a_key_back_rather_than_forget_it_when_its_announcement_arrives_after_redis_lost_its_data() {
        // given: the key's own announcement is still on its way when Redis is flushed
        LocalChangeBus late = new LocalChangeBus();
        ApiKeys keys = new ApiKeys(newStore(), late, Clock.systemUTC());
        ApiKeys.Created created = keys.create(new ApiKeys.Grant("announced-late", List.of(), 0, 0, 0, null, Budget.NONE, RoutingCeiling.NONE));
        redis.flushAll();

        // when
        late.publish(ChangeBus.KEYS, created.stored().id());

        // then
        assertThat(live(keys, created)).isTrue();
        assertThat(store.find(created.stored().id())).contains(created.stored());
    }

    private static RedisChangeBus bus() {
        return new RedisChangeBus(redis.client(), redis.connection(), Duration.ofHours(1));
    }

    private static RedisApiKeyStore newStore() {
        return new RedisApiKeyStore(redis.connection(), JsonMapper.builder().build());
    }

    private static boolean live(ApiKeys keys, ApiKeys.Created created) {
        return keys.recognise(created.key()).status() == ApiKeys.Recognition.Status.LIVE;
    }
}
