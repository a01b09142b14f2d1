package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallOutcomeTest {

    private static final String EXPERT = "e";

    @Test
    void should_keep_the_tags_that_metrics_and_responses_already_carry() {
        assertThat(Arrays.stream(CallOutcome.values()).map(CallOutcome::tag)).containsExactly(
                "ok", "timeout", "rate_limited", "unavailable", "rejected", "forbidden", "upstream_error",
                "client_gone", "client_failure");
        assertThat(CallOutcome.CLIENT_GONE).hasToString("client_gone");
    }

    @Test
    void should_find_an_outcome_by_its_tag_and_nothing_for_an_unknown_tag() {
        assertThat(CallOutcome.fromTag("rate_limited")).contains(CallOutcome.RATE_LIMITED);
        assertThat(CallOutcome.fromTag("RATE_LIMITED")).isEmpty();
        assertThat(CallOutcome.fromTag("error")).isEmpty();
    }

    @Test
    void should_classify_every_kind_of_expert_failure() {
        // given
        Map<ExpertException, CallOutcome> expected = Map.of(
                new ExpertTimeoutException(EXPERT, Duration.ofSeconds(1)), CallOutcome.TIMEOUT,
                new ExpertRateLimitedException(EXPERT, null), CallOutcome.RATE_LIMITED,
                new ExpertUnavailableException(EXPERT, ExpertUnavailableException.Reason.CIRCUIT_OPEN),
                CallOutcome.UNAVAILABLE,
                new ExpertRejectedRequestException(EXPERT, 400, "bad"), CallOutcome.REJECTED,
                new ExpertForbiddenException(EXPERT, new EgressRefusedException("169.254.169.254", null, true,
                        "a cloud metadata address", "always refused")), CallOutcome.FORBIDDEN,
                new ExpertServerException(EXPERT, 503, "", null), CallOutcome.UPSTREAM_ERROR,
                new ExpertConnectionException(EXPERT, "reset", new java.io.IOException("reset")),
                CallOutcome.UPSTREAM_ERROR,
                new ExpertProtocolException(EXPERT, "not json", null), CallOutcome.UPSTREAM_ERROR,
                new LocalModelException(EXPERT, "damaged", null), CallOutcome.UPSTREAM_ERROR,
                new ExpertException(EXPERT, "the batch failed"), CallOutcome.UPSTREAM_ERROR);

        // when / then
        expected.forEach((failure, outcome) ->
                assertThat(CallOutcome.of(failure)).as(failure.getClass().getSimpleName()).isEqualTo(outcome));
    }

    @Test
    void should_take_an_unexpected_exception_from_a_client_for_a_client_failure_not_for_a_client_that_left() {
        // given
        RuntimeException bug = new IllegalStateException("a bug in a client");

        // when
        CallOutcome outcome = CallOutcome.of(bug);
        CallOutcome onThisThread = CallOutcome.ofCallOnThisThread(bug);

        // then
        assertThat(outcome).isEqualTo(CallOutcome.CLIENT_FAILURE).isNotEqualTo(CallOutcome.CLIENT_GONE);
        assertThat(onThisThread).isEqualTo(CallOutcome.CLIENT_FAILURE);
    }

    @Test
    void should_take_a_call_that_failed_on_an_interrupted_thread_for_a_client_that_left() {
        // given: a client stopped by an interrupt throws whatever the interrupt made of its wait
        ExpertException thrown = new ExpertTimeoutException(EXPERT, Duration.ofSeconds(60));

        // when
        Thread.currentThread().interrupt();
        CallOutcome outcome;
        try {
            outcome = CallOutcome.ofCallOnThisThread(thrown);
        } finally {
            Thread.interrupted();
        }

        // then
        assertThat(outcome).isEqualTo(CallOutcome.CLIENT_GONE);
        assertThat(CallOutcome.ofCallOnThisThread(thrown)).isEqualTo(CallOutcome.TIMEOUT);
        assertThat(CallOutcome.of(new InterruptedException())).isEqualTo(CallOutcome.CLIENT_GONE);
    }

    @Test
    void should_take_a_call_interrupted_inside_a_stop_for_the_reason_its_caller_gave() {
        // given
        ExpertException thrown = new ExpertTimeoutException(EXPERT, Duration.ofSeconds(60));
        CallStop deadline = new CallStop();
        CallStop clientLeft = new CallStop();
        deadline.deadlinePassed();
        CallOutcome[] outcomes = new CallOutcome[2];

        // when
        Thread.currentThread().interrupt();
        try {
            deadline.run(() -> outcomes[0] = CallOutcome.ofCallOnThisThread(thrown));
            clientLeft.run(() -> outcomes[1] = CallOutcome.ofCallOnThisThread(thrown));
        } finally {
            Thread.interrupted();
        }

        // then
        assertThat(outcomes).containsExactly(CallOutcome.TIMEOUT, CallOutcome.CLIENT_GONE);
    }
}
