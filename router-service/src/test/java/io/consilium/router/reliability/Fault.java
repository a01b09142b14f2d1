package io.consilium.router.reliability;

import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import java.time.Duration;
import java.util.List;

/**
 * The ways an upstream goes wrong, each as a fake upstream's reply. Timings are relative to the
 * expert timeout the fault tests register their experts with.
 */
enum Fault {
    SERVER_ERROR(Reply.error(500, "internal error")),
    BAD_GATEWAY(Reply.error(502, "bad gateway")),
    UNAVAILABLE(Reply.error(503, "overloaded")),
    RATE_LIMITED(Reply.error(429, "slow down")),
    RATE_LIMITED_BEYOND_DEADLINE(Reply.error(429, "come back later", "retry-after", "120")),
    HANG(Reply.hang()),
    CONNECTION_CLOSED(Reply.closeWithoutAnswer()),
    MALFORMED_JSON(Reply.malformedJson()),
    STREAM_CUT(Reply.streamThenDrop(List.of("The answer ", "is "))),
    DRIBBLE(null),
    TOO_LATE(Reply.delayed(FaultFixture.EXPERT_TIMEOUT.plusMillis(600), Reply.completion("late answer")));

    private final Reply reply;

    Fault(Reply reply) {
        this.reply = reply;
    }

    /** The reply to one request; a slow but correct answer streams when asked to. */
    Reply reply() {
        if (this != DRIBBLE) {
            return reply;
        }
        Reply plain = Reply.dribble("slow but correct", 24, Duration.ofMillis(15));
        Reply streamed = Reply.stream(List.of("slow ", "but ", "correct"), Duration.ofMillis(100));
        return (exchange, request, upstream) -> (request.path("stream").asBoolean(false) ? streamed : plain)
                .send(exchange, request, upstream);
    }

    /** Whether an expert with this fault still gives a correct answer. */
    boolean answers() {
        return this == DRIBBLE;
    }
}
