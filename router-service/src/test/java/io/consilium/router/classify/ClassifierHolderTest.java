package io.consilium.router.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillScore;
import io.consilium.profiler.SkillVector;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A classifier that loads in the background: callers wait for it, failures reach them, resources close. */
class ClassifierHolderTest {

    private static final SkillVector ALGEBRA = new SkillVector(List.of(new SkillScore("math.algebra", 1.0)), false);
    private static final QueryClassifier FIXED = text -> ALGEBRA;

    @Test
    void should_make_a_classification_wait_until_the_classifier_has_loaded() throws Exception {
        // given
        CountDownLatch release = new CountDownLatch(1);
        ClassifierHolder holder = ClassifierHolder.loadingInBackground(() -> {
            await(release);
            return new ClassifierHolder.Loaded(FIXED, Optional.empty(), List.of());
        });

        // when
        CompletableFuture<SkillVector> answer = CompletableFuture.supplyAsync(
                () -> holder.classifier().classify("solve x + 1 = 2"));

        // then
        assertThat(answer).failsWithin(Duration.ofMillis(200))
                .withThrowableOfType(java.util.concurrent.TimeoutException.class);
        release.countDown();
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(ALGEBRA);
    }

    @Test
    void should_give_every_caller_the_failure_that_stopped_loading() {
        ClassifierHolder holder = ClassifierHolder.loadingInBackground(() -> {
            throw new IllegalStateException("no model in the jar");
        });

        assertThatThrownBy(() -> holder.classifier().classify("hello"))
                .isInstanceOf(IllegalStateException.class).hasMessage("no model in the jar");
        assertThatThrownBy(holder::trainable).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void should_close_the_loaded_classifiers_resources() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        ClassifierHolder holder = ClassifierHolder.loadingInBackground(
                () -> new ClassifierHolder.Loaded(FIXED, Optional.empty(), List.of(() -> closed.set(true))));

        holder.close();

        assertThat(closed).isTrue();
    }

    @Test
    void should_close_quietly_when_loading_failed() throws Exception {
        ClassifierHolder holder = ClassifierHolder.loadingInBackground(() -> {
            throw new IllegalStateException("broken");
        });

        holder.close();

        assertThatThrownBy(() -> holder.classifier().classify("x")).hasMessage("broken");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
