package io.consilium.router.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** What every answer store does, run against the memory store and Redis. */
abstract class AnswerStoreContract {

    protected static final Duration TTL = Duration.ofMinutes(5);
    protected static final int MAX_PER_PARTITION = 3;

    /** The store's clock, moved by the tests that need time to pass. */
    protected final AtomicLong now = new AtomicLong(1_000_000);

    /** An empty store with {@link #TTL}, {@link #MAX_PER_PARTITION} and {@link #now} as its clock. */
    protected abstract AnswerStore newEmptyStore();

    protected static CacheKey key(String owner, String partition, String exact) {
        return new CacheKey(owner, partition, exact);
    }

    protected CachedAnswer answer(String exact, float[] embedding, String text) {
        ObjectNode completion = JsonNodeFactory.instance.objectNode();
        completion.put("object", "chat.completion");
        completion.putArray("choices").addObject().putObject("message").put("content", text);
        return new CachedAnswer(exact, embedding, completion, 0.25, List.of("alpha"), now.get() + TTL.toMillis());
    }

    protected static float[] vector(float... values) {
        return values;
    }

    @Test
    void should_find_an_answer_by_its_exact_key_and_keep_what_it_holds() {
        // given
        AnswerStore store = newEmptyStore();
        store.put(key("key:a", "p1", "q1"), answer("q1", vector(1, 0, 0), "the answer"));

        // when
        CacheHit hit = store.exact(key("key:a", "p1", "q1")).orElseThrow();

        // then
        assertThat(hit.kind()).isEqualTo(CacheHit.Kind.EXACT);
        assertThat(hit.answer().completion().path("choices").path(0).path("message").path("content").asString())
                .isEqualTo("the answer");
        assertThat(hit.answer().costUsd()).isEqualTo(0.25);
        assertThat(hit.answer().experts()).containsExactly("alpha");
        assertThat(hit.answer().embedding()).containsExactly(1, 0, 0);
        assertThat(store.exact(key("key:a", "p1", "q2"))).isEmpty();
        assertThat(store.exact(key("key:a", "p2", "q1"))).isEmpty();
    }

    @Test
    void should_match_by_meaning_only_above_the_threshold_and_pick_the_closest() {
        // given
        AnswerStore store = newEmptyStore();
        store.put(key("key:a", "p1", "q1"), answer("q1", vector(1, 0, 0), "east"));
        store.put(key("key:a", "p1", "q2"), answer("q2", vector(0.6f, 0.8f, 0), "north-east"));

        // when
        CacheHit near = store.similar(key("key:a", "p1", "other"), vector(0.98f, 0.2f, 0), 0.9).orElseThrow();

        // then
        assertThat(near.kind()).isEqualTo(CacheHit.Kind.SEMANTIC);
        assertThat(near.answer().exactKey()).isEqualTo("q1");
        assertThat(near.similarity()).isBetween(0.9, 1.0);
        assertThat(store.similar(key("key:a", "p1", "other"), vector(0, 0, 1), 0.9)).isEmpty();
        assertThat(store.similar(key("key:a", "p2", "other"), vector(1, 0, 0), 0.9)).as("another partition").isEmpty();
    }

    @Test
    void should_keep_only_the_newest_answers_of_a_partition() {
        // given
        AnswerStore store = newEmptyStore();

        // when
        for (int i = 1; i <= MAX_PER_PARTITION + 2; i++) {
            store.put(key("key:a", "p1", "q" + i), answer("q" + i, vector(1, 0, 0), "answer " + i));
        }

        // then
        assertThat(store.exact(key("key:a", "p1", "q1"))).isEmpty();
        assertThat(store.exact(key("key:a", "p1", "q2"))).isEmpty();
        assertThat(store.exact(key("key:a", "p1", "q" + (MAX_PER_PARTITION + 2)))).isPresent();
        assertThat(store.exact(key("key:a", "p1", "q3"))).isPresent();
    }

    @Test
    void should_stop_serving_an_answer_once_its_time_to_live_has_passed() {
        // given
        AnswerStore store = newEmptyStore();
        store.put(key("key:a", "p1", "q1"), answer("q1", vector(1, 0, 0), "fresh"));
        assertThat(store.exact(key("key:a", "p1", "q1"))).isPresent();

        // when
        now.addAndGet(TTL.toMillis());

        // then
        assertThat(store.exact(key("key:a", "p1", "q1"))).isEmpty();
        assertThat(store.similar(key("key:a", "p1", "q1"), vector(1, 0, 0), 0.5)).isEmpty();
    }

    @Test
    void should_purge_one_owners_answers_or_all() {
        // given
        AnswerStore store = newEmptyStore();
        store.put(key("key:a", "pa", "q1"), answer("q1", vector(1, 0, 0), "a's"));
        store.put(key("key:b", "pb", "q1"), answer("q1", vector(1, 0, 0), "b's"));
        store.put(key("anonymous", "pn", "q1"), answer("q1", vector(1, 0, 0), "anyone's"));

        // when
        long dropped = store.purge("key:a");

        // then
        assertThat(dropped).isEqualTo(1);
        assertThat(store.exact(key("key:a", "pa", "q1"))).isEmpty();
        assertThat(store.exact(key("key:b", "pb", "q1"))).isPresent();

        // when
        store.purge(null);

        // then
        assertThat(store.exact(key("key:b", "pb", "q1"))).isEmpty();
        assertThat(store.exact(key("anonymous", "pn", "q1"))).isEmpty();
    }
}
