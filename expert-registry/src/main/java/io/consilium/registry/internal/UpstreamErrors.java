package io.consilium.registry.internal;

import io.consilium.registry.ExpertConnectionException;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertProtocolException;
import io.consilium.registry.ExpertRateLimitedException;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.ExpertServerException;
import io.consilium.registry.ExpertTimeoutException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place where an upstream HTTP status or I/O failure becomes an {@link ExpertException}, for every
 * provider, and where an upstream's words become part of a message: always through
 * {@link #shorten(String, SecretRedaction)}.
 */
public final class UpstreamErrors {

    private static final int MAX_MESSAGE = 300;
    /** A bearer value, or a run of 16+ key characters mixing letters and digits, as keys and tokens are. */
    private static final java.util.regex.Pattern CREDENTIAL = java.util.regex.Pattern.compile(
            "(?i)bearer\\s+\\S+|(?=[A-Za-z0-9_\\-]*[0-9])(?=[A-Za-z0-9_\\-]*[A-Za-z])[A-Za-z0-9_\\-]{16,}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private UpstreamErrors() {}

    /**
     * Maps a non-2xx answer to the exception that says whether retrying can help.
     *
     * @param retryAfter the answer's {@code Retry-After} header, if it had one
     * @param body the answer's body as received; only its error message is used
     */
    public static ExpertException fromAnswer(String expertId, int status, @Nullable String retryAfter, String body,
            SecretRedaction redaction) {
        return fromStatus(expertId, status, retryAfter, errorMessage(body), redaction);
    }

    /**
     * Maps a non-2xx answer whose body a provider's SDK has already read, to the exception that says whether
     * retrying can help.
     *
     * @param retryAfter the answer's {@code Retry-After} header, if it had one
     * @param upstreamMessage the error message of the body as the upstream wrote it; redacted and shortened here
     */
    public static ExpertException fromStatus(String expertId, int status, @Nullable String retryAfter,
            String upstreamMessage, SecretRedaction redaction) {
        String message = shorten(upstreamMessage, redaction);
        if (status == 429) {
            return new ExpertRateLimitedException(expertId, retryAfter(retryAfter));
        }
        // 5xx includes Anthropic's 529 "overloaded".
        if (status >= 500 || status == 408) {
            return new ExpertServerException(expertId, status, message, null);
        }
        if (status >= 400) {
            return new ExpertRejectedRequestException(expertId, status, message);
        }
        return new ExpertProtocolException(expertId, "unexpected upstream status " + status, null);
    }

    /** Maps a transport failure: a deadline that passed, an answer too long to take, or a connection that failed. */
    public static ExpertException fromIo(String expertId, IOException failure) {
        return switch (failure) {
            case UpstreamTimeoutException timedOut -> new ExpertTimeoutException(expertId, timedOut.deadline());
            case AnswerTooLargeException tooLarge -> new ExpertProtocolException(expertId, tooLarge.getMessage(), null);
            default -> new ExpertConnectionException(expertId,
                    "connection failed: " + failure.getClass().getSimpleName(), failure);
        };
    }

    /** Parses a Retry-After header: delay in seconds or an HTTP date. */
    public static @Nullable Duration retryAfter(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            double seconds = Double.parseDouble(value);
            return seconds < 0 ? null : Duration.ofMillis((long) (seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /**
     * The upstream's own error message, if its body is an OpenAI- or Anthropic-style error, shortened.
     * Raw bodies are not echoed: they may hold anything.
     */
    static String upstreamMessage(String body, SecretRedaction redaction) {
        return shorten(errorMessage(body), redaction);
    }

    /** The {@code error.message} (or a string {@code error}) of a JSON error body as written; empty if there is none. */
    private static String errorMessage(String body) {
        if (body.isBlank()) {
            return "";
        }
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.isObject() ? error.path("message").asString("") : error.asString("");
        } catch (JacksonException notJson) {
            return "";
        }
    }

    /**
     * An upstream's text as it may appear in a message: every stored key redacted in every form, then one
     * line of at most {@value #MAX_MESSAGE} characters. Upstreams quote the key they refused ("Incorrect
     * API key provided: sk-…"), and their words reach clients and logs. Keys are redacted before the text
     * is cut, so that no beginning of one is left at the cut.
     */
    static String shorten(String upstreamText, SecretRedaction redaction) {
        return clip(redaction.redact(upstreamText));
    }

    /**
     * One line, anything that looks like a credential redacted, at most {@value #MAX_MESSAGE} characters:
     * for texts that hold no stored key but may hold one nobody stored (a caller's own field, a key the
     * upstream made up or got elsewhere).
     */
    static String clip(String text) {
        String oneLine = CREDENTIAL.matcher(text.replaceAll("\\s+", " ").trim()).replaceAll(SecretRedaction.REDACTED);
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "…";
    }
}
