package io.consilium.router.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertApi;
import io.consilium.registry.ExpertStore;
import io.consilium.registry.Provider;
import io.consilium.registry.SecretCipher;
import io.consilium.registry.testing.ExpertStoreContract;
import io.consilium.router.testing.RedisFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The expert contract against Redis, and what only Redis can get wrong: the api key at rest. */
class RedisExpertStoreIT extends ExpertStoreContract {

    private static final SecretCipher CIPHER = SecretCipher.withMasterKey("a-master-key-for-the-tests");
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected ExpertStore newEmptyStore() {
        redis.flushAll();
        return new RedisExpertStore(redis.connection(), new ExpertCodec(CIPHER));
    }

    @Test
    void should_keep_the_api_key_only_encrypted_in_redis() {
        // given
        Expert remote = Expert.builder("remote").provider(Provider.OPENAI).baseUrl("https://models.example.com/v1")
                .model("m").apiKey("sk-must-never-be-stored-in-clear").build();

        // when
        store.create(remote);

        // then
        String stored = redis.commands().hget(RedisExpertStore.EXPERTS, "remote");
        assertThat(stored).doesNotContain("sk-must-never-be-stored-in-clear").contains("\"api_key\":\"v1:");
        assertThat(store.find("remote").orElseThrow().apiKey().reveal()).isEqualTo("sk-must-never-be-stored-in-clear");
    }

    @Test
    void should_read_a_definition_stored_before_experts_declared_their_apis_as_chat_only() {
        // given: what an earlier version wrote, with no apis
        store.create(Expert.builder("older").provider(Provider.OPENAI).baseUrl("https://models.example.com/v1")
                .model("m").apiIds(List.of("chat_completions", "responses")).build());
        String stored = redis.commands().hget(RedisExpertStore.EXPERTS, "older");
        assertThat(stored).contains("\"apis\":[\"chat_completions\",\"responses\"]");
        redis.commands().hset(RedisExpertStore.EXPERTS, "older", stored.replace(",\"apis\":[\"chat_completions\",\"responses\"]", ""));

        // when
        Expert read = store.find("older").orElseThrow();

        // then
        assertThat(read.apis()).containsExactly(ExpertApi.CHAT_COMPLETIONS);
    }

    @Test
    void should_refuse_to_read_a_key_sealed_under_another_master_key_and_say_which_setting() {
        // given
        store.create(Expert.builder("remote").provider(Provider.OPENAI).baseUrl("https://models.example.com/v1")
                .model("m").apiKey("sk-secret").build());
        ExpertStore otherReplica = new RedisExpertStore(redis.connection(),
                new ExpertCodec(SecretCipher.withMasterKey("another-master-key-entirely")));

        // then
        assertThatThrownBy(() -> otherReplica.find("remote"))
                .hasMessageContaining("expert 'remote'")
                .hasMessageContaining("consilium.security.master-key")
                .message().doesNotContain("sk-secret");
    }
}
