package io.consilium.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.SecretCipher;
import io.consilium.router.testing.RedisFixture;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The answer store contract on a real redis-server, and what only Redis does: two replicas (two stores on one
 * server) share answers, answers are sealed at rest, and every partition's list expires.
 */
class RedisAnswerStoreIT extends AnswerStoreContract {

    private static final SecretCipher CIPHER = SecretCipher.withMasterKey("a-master-key-for-the-tests");
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected AnswerStore newEmptyStore() {
        redis.flushAll();
        return replica();
    }

    private AnswerStore replica() {
        return new RedisAnswerStore(redis.connection(), CIPHER, MAX_PER_PARTITION, TTL, now::get);
    }

    @Test
    void should_serve_on_one_replica_what_another_stored() {
        // given
        AnswerStore replicaA = newEmptyStore();
        AnswerStore replicaB = replica();

        // when
        replicaA.put(key("key:a", "p1", "q1"), answer("q1", vector(1, 0, 0), "made on A"));

        // then
        assertThat(replicaB.exact(key("key:a", "p1", "q1")).orElseThrow().answer().completion().toString())
                .contains("made on A");
        assertThat(replicaB.similar(key("key:a", "p1", "q9"), vector(0.99f, 0.1f, 0), 0.9)).isPresent();
        assertThat(replicaB.exact(key("key:b", "p1", "q1"))).as("another owner's partition").isEmpty();
    }

    @Test
    void should_keep_answers_only_sealed_in_lists_that_expire() {
        // given
        AnswerStore store = newEmptyStore();

        // when
        store.put(key("key:a", "p1", "q1"), answer("q1", vector(1, 0, 0), "a confidential answer"));

        // then
        String listKey = RedisAnswerStore.redisKey(key("key:a", "p1", "q1"));
        assertThat(redis.commands().keys(RedisAnswerStore.PREFIX + "*")).containsExactly(listKey);
        assertThat(listKey).doesNotContain("key:a");
        assertThat(redis.commands().lrange(listKey, 0, -1)).singleElement().asString()
                .startsWith("v1:").doesNotContain("confidential");
        assertThat(redis.commands().pttl(listKey)).isBetween(1L, TTL.toMillis());
    }

    @Test
    void should_let_redis_drop_a_partition_when_its_time_to_live_runs_out() {
        // given
        AnswerStore store = new RedisAnswerStore(redis.connection(), CIPHER, MAX_PER_PARTITION, Duration.ofMillis(200),
                System::currentTimeMillis);
        redis.flushAll();

        // when
        store.put(key("key:a", "p1", "q1"), new CachedAnswer("q1", null, answer("q1", vector(1), "x").completion(), 0,
                java.util.List.of(), System.currentTimeMillis() + 200));

        // then
        assertThat(store.exact(key("key:a", "p1", "q1"))).isPresent();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3))
                .until(() -> redis.commands().keys(RedisAnswerStore.PREFIX + "*").isEmpty());
        assertThat(store.exact(key("key:a", "p1", "q1"))).isEmpty();
    }
}
