package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineInterruptTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void should_interrupt_a_call_blocked_past_the_deadline_and_leave_the_thread_clear_afterwards() {
        // given
        DeadlineInterrupt deadline = DeadlineInterrupt.after(Duration.ofMillis(50), timers);
        boolean interrupted = false;

        // when
        try {
            Thread.sleep(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            interrupted = true;
            Thread.currentThread().interrupt();
        }
        boolean expired = deadline.stop();

        // then
        assertThat(interrupted).isTrue();
        assertThat(expired).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void should_not_interrupt_a_call_that_ended_in_time() {
        // given
        Thread caller = Thread.currentThread();
        DeadlineInterrupt deadline = DeadlineInterrupt.after(Duration.ofMillis(100), timers);

        // when
        boolean expired = deadline.stop();

        // then: past the deadline that was stopped, the caller stays uninterrupted
        assertThat(expired).isFalse();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !caller.isInterrupted());
    }
}
