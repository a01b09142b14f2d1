package io.consilium.router.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.router.testing.RedisFixture;
import io.lettuce.core.RedisConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisChangeBusIT {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();
    private final List<RedisChangeBus> buses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void flush() {
        redis.flushAll();
    }

    @AfterEach
    void closeBuses() {
        buses.forEach(RedisChangeBus::close);
    }

    private RedisChangeBus bus(Duration resyncInterval) {
        RedisChangeBus bus = new RedisChangeBus(redis.client(), redis.connection(), resyncInterval);
        buses.add(bus);
        return bus;
    }

    @Test
    void should_deliver_every_announcement_to_every_replica_in_order() {
        // given
        RedisChangeBus replicaA = bus(Duration.ofHours(1));
        RedisChangeBus replicaB = bus(Duration.ofHours(1));
        List<String> seenByA = new CopyOnWriteArrayList<>();
        List<String> seenByB = new CopyOnWriteArrayList<>();
        replicaA.subscribe(ChangeBus.EXPERTS, seenByA::add);
        replicaB.subscribe(ChangeBus.EXPERTS, seenByB::add);
        List<String> profiles = new CopyOnWriteArrayList<>();
        replicaB.subscribe(ChangeBus.PROFILES, profiles::add);

        // when
        for (int i = 0; i < 50; i++) {
            replicaA.publish(ChangeBus.EXPERTS, "expert-" + i);
        }
        replicaA.publish(ChangeBus.PROFILES, "id:with:colons");

        // then
        List<String> expected = IntStream.range(0, 50).mapToObj(i -> "expert-" + i).toList();
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(seenByB).containsExactlyElementsOf(expected);
            assertThat(seenByA).containsExactlyElementsOf(expected);
            assertThat(profiles).containsExactly("id:with:colons");
        });
    }

    @Test
    void should_keep_delivering_to_other_listeners_when_one_fails() {
        // given
        RedisChangeBus bus = bus(Duration.ofHours(1));
        List<String> seen = new CopyOnWriteArrayList<>();
        bus.subscribe(ChangeBus.TAXONOMY, id -> {
            throw new IllegalStateException("a broken listener");
        });
        bus.subscribe(ChangeBus.TAXONOMY, seen::add);

        // when
        bus.publish(ChangeBus.TAXONOMY, "1");
        bus.publish(ChangeBus.TAXONOMY, "2");

        // then
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(seen).containsExactly("1", "2"));
    }

    @Test
    void should_resync_periodically() {
        // given
        AtomicInteger resyncs = new AtomicInteger();
        bus(Duration.ofMillis(100)).onResync(resyncs::incrementAndGet);

        // then
        await().atMost(Duration.ofSeconds(2)).until(() -> resyncs.get() >= 3);
    }

    @Test
    void should_resync_soon_after_redis_is_back_and_hear_announcements_again() {
        // given
        RedisChangeBus bus = bus(Duration.ofHours(1));
        AtomicInteger resyncs = new AtomicInteger();
        bus.onResync(resyncs::incrementAndGet);
        List<String> seen = new CopyOnWriteArrayList<>();
        bus.subscribe(ChangeBus.KEYS, seen::add);

        // when
        redis.server().stop();
        redis.server().startAgain();

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> resyncs.get() >= 1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            bus.publish(ChangeBus.KEYS, "after-restart");
            assertThat(seen).contains("after-restart");
        });
    }

    @Test
    void should_retry_soon_a_resync_that_failed_because_redis_was_unreachable() {
        // given
        RedisChangeBus bus = bus(Duration.ofHours(1));
        AtomicInteger attempts = new AtomicInteger();
        bus.onResync(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new StateUnavailableException("reload", new RedisConnectionException("down"));
            }
        });

        // when
        bus.requestResync(Duration.ZERO);

        // then
        await().atMost(Duration.ofSeconds(3)).until(() -> attempts.get() >= 2);
    }
}
