package io.consilium.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertStore;
import io.consilium.registry.Limits;
import io.consilium.registry.MockBehaviour;
import io.consilium.registry.Provider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ExpertStore} must do. Extend it once per implementation and return a store with
 * no experts from {@link #newEmptyStore()}.
 */
public abstract class ExpertStoreContract {

    protected ExpertStore store;

    protected abstract ExpertStore newEmptyStore();

    @BeforeEach
    void setUpStore() {
        store = newEmptyStore();
    }

    protected static Expert expert(String id) {
        return Expert.builder(id).provider(Provider.MOCK).skills(List.of("math.algebra")).build();
    }

    @Test
    void should_find_nothing_when_empty() {
        assertThat(store.findAll()).isEmpty();
        assertThat(store.find("missing")).isEmpty();
    }

    @Test
    void should_create_once_and_refuse_a_second_expert_with_the_same_id() {
        // given
        Expert first = expert("alpha");
        Expert second = first.toBuilder().systemPrompt("other").build();

        // when
        boolean created = store.create(first);
        boolean createdAgain = store.create(second);

        // then
        assertThat(created).isTrue();
        assertThat(createdAgain).isFalse();
        assertThat(store.find("alpha")).contains(first);
    }

    @Test
    void should_keep_every_field_including_the_secret() {
        // given
        Expert full = Expert.builder("remote-1")
                .provider(Provider.OPENAI)
                .baseUrl("https://models.example.com/v1")
                .model("m-7b")
                .apiKey("sk-contract-secret")
                .roleIds(List.of("expert", "aggregator"))
                .skills(List.of("math.algebra", "cs.programming"))
                .systemPrompt("Be precise.")
                .modalityIds(List.of("text", "image"))
                .apiIds(List.of("chat_completions", "responses"))
                .cost(new Cost(0.2, 0.65))
                .limits(new Limits(4, Duration.ofMillis(2500), 8192))
                .modelPath("/models/unused")
                .mock(new MockBehaviour(Duration.ofMillis(15), 0.25))
                .enabled(false)
                .build();

        // when
        store.create(full);

        // then
        Expert found = store.find("remote-1").orElseThrow();
        assertThat(found).isEqualTo(full);
        assertThat(found.apiKey()).isNotNull();
        assertThat(found.apiKey().reveal()).isEqualTo("sk-contract-secret");
    }

    @Test
    void should_update_only_an_existing_expert() {
        // given
        store.create(expert("alpha"));
        Expert changed = expert("alpha").toBuilder().enabled(false).build();

        // when
        boolean updated = store.update(changed);
        boolean updatedMissing = store.update(expert("beta"));

        // then
        assertThat(updated).isTrue();
        assertThat(updatedMissing).isFalse();
        assertThat(store.find("alpha")).contains(changed);
        assertThat(store.find("beta")).isEmpty();
    }

    @Test
    void should_put_whether_or_not_the_expert_exists() {
        // when
        store.put(expert("alpha"));
        store.put(expert("alpha").toBuilder().enabled(false).build());

        // then
        assertThat(store.findAll()).singleElement().extracting(Expert::enabled).isEqualTo(false);
    }

    @Test
    void should_list_experts_ordered_by_id() {
        // given
        store.create(expert("charlie"));
        store.create(expert("alpha"));
        store.create(expert("bravo"));

        // then
        assertThat(store.findAll()).extracting(Expert::id).containsExactly("alpha", "bravo", "charlie");
    }

    @Test
    void should_delete_and_report_whether_there_was_something_to_delete() {
        // given
        store.create(expert("alpha"));

        // then
        assertThat(store.delete("alpha")).isTrue();
        assertThat(store.delete("alpha")).isFalse();
        assertThat(store.find("alpha")).isEmpty();
    }

    @Test
    void should_let_exactly_one_of_many_concurrent_creators_win() throws Exception {
        // given
        int contenders = 16;
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            String prompt = "contender " + i;
            attempts.add(() -> store.create(expert("contested").toBuilder().systemPrompt(prompt).build()));
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
        assertThat(store.findAll()).hasSize(1);
    }
}
