package io.consilium.router.responses;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code consilium.responses.*}: how long stored responses are kept.
 *
 * @param retention how long a stored response can be read and continued after it was made
 * @param maxStored the most responses kept by the memory store; the oldest go first (Redis keeps all until
 *     they expire)
 */
@ConfigurationProperties("consilium.responses")
record ResponsesProperties(@DefaultValue("30d") Duration retention, @DefaultValue("10000") long maxStored) {

    ResponsesProperties {
        if (retention.toMillis() < 1) {
            throw new IllegalArgumentException("consilium.responses.retention must be at least 1ms, but was " + retention);
        }
        if (maxStored < 1) {
            throw new IllegalArgumentException("consilium.responses.max-stored must be at least 1, but was " + maxStored);
        }
    }
}
