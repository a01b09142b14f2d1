package io.consilium.router.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ChatRequest;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.testing.RedisFixture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cache as the configuration sets it up from properties: on {@code consilium.store=redis} two replicas (two
 * caches on one real redis-server) share their answers; a Redis cache without a Redis stops the start.
 */
class CacheConfigurationIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Test
    void should_share_answers_between_two_replicas_on_redis() {
        // given
        redis.flushAll();
        Map<String, String> settings = Map.of("consilium.store", "redis", "consilium.cache.mode", "exact",
                "consilium.security.master-key", "a-master-key-for-the-tests");
        AnswerCache replicaA = cache(settings, redis.connection());
        AnswerCache replicaB = cache(settings, redis.connection());
        ChatRequest request = new ChatRequest((ObjectNode) JSON.readTree("""
                {"model": "alpha", "messages": [{"role": "user", "content": "Is the cache shared?"}]}"""));
        ObjectNode answer = (ObjectNode) JSON.readTree("""
                {"id": "chatcmpl-1", "object": "chat.completion", "model": "alpha",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "It is."}, "finish_reason": "stop"}],
                 "consilium": {"experts": [{"id": "alpha", "cost_usd": 0.5, "outcome": "ok"}]}}""");

        // when
        replicaA.store(replicaA.lookup(request, scope()), answer, null);

        // then
        CacheHit hit = replicaB.exact(replicaB.lookup(request, scope())).orElseThrow();
        assertThat(hit.answer().completion().path("choices").path(0).path("message").path("content").asString())
                .isEqualTo("It is.");
        assertThat(hit.answer().costUsd()).isEqualTo(0.5);
        assertThat(redis.commands().keys(RedisAnswerStore.PREFIX + "*")).hasSize(1);
    }

    @Test
    void should_refuse_a_redis_cache_when_the_store_is_memory() {
        assertThatThrownBy(() -> cache(Map.of("consilium.cache.mode", "exact", "consilium.cache.store", "redis"), null))
                .hasMessageContaining("consilium.cache.store is redis, which needs consilium.store=redis");
    }

    private static CacheScope scope() {
        return CacheScope.of(new MockHttpServletRequest(), new MockHttpServletResponse());
    }

    @SuppressWarnings("unchecked")
    private static AnswerCache cache(Map<String, String> settings,
            @Nullable StatefulRedisConnection<String, String> connection) {
        Binder binder = new Binder(new MapConfigurationPropertySource(settings));
        MockEnvironment environment = new MockEnvironment();
        settings.forEach(environment::setProperty);
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        if (connection != null) {
            beans.registerSingleton("redisConnection", connection);
        }
        ObjectProvider<StatefulRedisConnection<String, String>> provider =
                (ObjectProvider<StatefulRedisConnection<String, String>>) (ObjectProvider<?>) beans
                        .getBeanProvider(StatefulRedisConnection.class);
        return new CacheConfiguration().answerCache(
                binder.bindOrCreate("consilium.cache", CacheProperties.class), environment, provider,
                binder.bindOrCreate("consilium", ConsiliumProperties.class), new SimpleMeterRegistry());
    }
}
