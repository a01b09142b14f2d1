package io.consilium.router.state;

import io.consilium.router.config.ConsiliumProperties;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Where Redis is and how to log in, from {@code consilium.redis.*}: the URL ({@code redis://} or
 * {@code rediss://} for TLS, optionally with user and password), with {@code password} and
 * {@code username} overriding what the URL says, and the command timeout. {@link #toString()} shows
 * scheme, host and port only, so it can go into messages.
 */
final class RedisEndpoint {

    private final RedisURI uri;
    private final String shown;

    private RedisEndpoint(RedisURI uri, String shown) {
        this.uri = uri;
        this.shown = shown;
    }

    static RedisEndpoint of(ConsiliumProperties.Redis redis) {
        URI parsed;
        try {
            parsed = URI.create(redis.url().trim());
        } catch (IllegalArgumentException e) {
            throw unreadable();
        }
        if (parsed.getScheme() == null || !(parsed.getScheme().equals("redis") || parsed.getScheme().equals("rediss"))) {
            throw new IllegalStateException("consilium.redis.url must start with redis:// or rediss://, but started with '"
                    + parsed.getScheme() + "'");
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(parsed);
        } catch (IllegalArgumentException e) {
            throw unreadable();
        }
        if (redis.password() != null || redis.username() != null) {
            String[] fromUrl = userInfo(parsed);
            String username = redis.username() != null ? redis.username() : fromUrl[0];
            String password = redis.password() != null ? redis.password() : fromUrl[1];
            RedisCredentials credentials = RedisCredentials.just(username, password);
            uri.setCredentialsProvider(RedisCredentialsProvider.from(() -> credentials));
        }
        uri.setTimeout(redis.commandTimeout());
        return new RedisEndpoint(uri, parsed.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
    }

    /** The URL may carry a password: the message must not repeat it. */
    private static IllegalStateException unreadable() {
        return new IllegalStateException("consilium.redis.url must be a redis:// or rediss:// URL such as "
                + "redis://127.0.0.1:6379, but it could not be read");
    }

    RedisURI uri() {
        return uri;
    }

    @Override
    public String toString() {
        return shown;
    }

    /** User and password of {@code redis://[user:]password@host}, as Lettuce reads them; null when absent. */
    private static @Nullable String[] userInfo(URI url) {
        String info = url.getRawUserInfo();
        if (info == null || info.isEmpty()) {
            return new String[2];
        }
        int colon = info.indexOf(':');
        if (colon < 0) {
            return new String[] {null, decode(info)};
        }
        String user = info.substring(0, colon);
        return new String[] {user.isEmpty() ? null : decode(user), decode(info.substring(colon + 1))};
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
