package io.consilium.router.state;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The one place where a Redis command's failure becomes a {@link StateUnavailableException}, so that
 * every store reports an outage the same way. Commands share one multiplexed connection; that is why
 * the stores make multi-step changes atomic with Lua scripts and never with MULTI/WATCH, which would
 * mix the transactions of concurrent callers.
 */
public final class RedisAccess {

    private final StatefulRedisConnection<String, String> connection;

    public RedisAccess(StatefulRedisConnection<String, String> connection) {
        this.connection = connection;
    }

    /** Runs blocking commands; {@code attempted} completes "could not …" in the failure message. */
    public <T> T call(String attempted, Function<RedisCommands<String, String>, T> commands) {
        try {
            return commands.apply(connection.sync());
        } catch (RedisException e) {
            throw new StateUnavailableException(attempted, e);
        }
    }

    /** Sends a command without waiting for it; how it went is told to {@code outage}, not the caller. */
    public void send(String attempted, Function<RedisAsyncCommands<String, String>, RedisFuture<?>> command,
            OutageLog outage) {
        try {
            command.apply(connection.async()).whenComplete((ignored, error) -> {
                if (error == null) {
                    outage.recovered();
                    return;
                }
                Throwable cause = error instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : error;
                outage.failed(new StateUnavailableException(attempted, cause));
            });
        } catch (RedisException e) {
            outage.failed(new StateUnavailableException(attempted, e));
        }
    }
}
