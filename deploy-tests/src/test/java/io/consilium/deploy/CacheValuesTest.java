package io.consilium.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** cache.* becomes consilium.cache.* in the router's configuration; a shared cache needs a Redis. */
class CacheValuesTest {

    @Test
    void should_leave_the_cache_off_by_default() {
        // when
        JsonNode cache = Chart.render(Chart.SECRETS).routerConfig().path("consilium").path("cache");

        // then
        assertThat(cache.path("mode").asString()).isEqualTo("off");
        assertThat(cache.has("store")).as("unset, the cache follows consilium.store").isFalse();
    }

    @Test
    void should_write_the_cache_settings_in_spring_names() {
        // when
        JsonNode cache = Chart.render(Chart.SECRETS, Chart.example("external-redis.yaml"),
                "cache: {mode: semantic, store: redis, similarityThreshold: 0.93, ttl: 30m, maxEntries: 500, maxPerPartition: 8}\n")
                .routerConfig().path("consilium").path("cache");

        // then
        assertThat(cache.path("mode").asString()).isEqualTo("semantic");
        assertThat(cache.path("store").asString()).isEqualTo("redis");
        assertThat(cache.path("similarity-threshold").asDouble()).isEqualTo(0.93);
        assertThat(cache.path("ttl").asString()).isEqualTo("30m");
        assertThat(cache.path("max-entries").asInt()).isEqualTo(500);
        assertThat(cache.path("max-per-partition").asInt()).isEqualTo(8);
    }

    @Test
    void should_refuse_a_redis_cache_without_a_redis() {
        // when
        String message = Chart.renderFailure("cache: {mode: exact, store: redis}\n");

        // then
        assertThat(message).contains("cache.store is redis but redis.mode is none");
    }
}
