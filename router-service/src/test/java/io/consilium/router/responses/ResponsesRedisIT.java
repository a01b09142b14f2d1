package io.consilium.router.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseDeleteParams;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RedisBackedService;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stored responses in Redis: continued from there, sealed, expiring, and gone once deleted. */
class ResponsesRedisIT extends RedisBackedService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();

    private String expert;

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void registerExpert() {
        UPSTREAM.reset();
        expert = registerRemote(UPSTREAM.baseUrl()).id();
    }

    @Test
    void should_keep_responses_in_redis_sealed_and_expiring_and_continue_from_them() {
        // given
        Response first = openAi.responses().create(ResponseCreateParams.builder().model(expert)
                .input("The secret word is pelican.").build());

        // when
        Response second = openAi.responses().create(ResponseCreateParams.builder().model(expert)
                .previousResponseId(first.id()).input("What was the word?").build());

        // then
        assertThat(UPSTREAM.lastRequestBody().path("messages").toString()).contains("The secret word is pelican.",
                "echo: The secret word is pelican.", "What was the word?");
        RedisClient client = RedisClient.create(redisServer().url());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            String key = RedisResponseStore.PREFIX + first.id();
            String stored = redis.sync().get(key);
            assertThat(stored).isNotNull().doesNotContain("pelican");
            long ttlSeconds = redis.sync().ttl(key);
            assertThat(Duration.ofSeconds(ttlSeconds)).isGreaterThan(Duration.ofDays(29)).isLessThanOrEqualTo(Duration.ofDays(30));
            openAi.responses().delete(ResponseDeleteParams.builder().responseId(second.id()).build());
            assertThat(redis.sync().exists(RedisResponseStore.PREFIX + second.id())).isZero();
        } finally {
            client.shutdown();
        }
        assertThat(openAi.responses().retrieve(first.id()).id()).isEqualTo(first.id());
        assertThatThrownBy(() -> openAi.responses().retrieve(second.id())).isInstanceOf(NotFoundException.class);
    }
}
