package io.consilium.router.classify;

import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillVector;
import io.consilium.profiler.TrainableClassifier;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classifier the service uses, the trainable one behind it when there is one, and the native
 * resources to release on shutdown.
 *
 * <p>The classifier may still be loading: the built-in one spends one to two seconds setting up its
 * ONNX session and encoding exemplars, and only the virtual models and {@code /v1/classify} need it,
 * so it loads on a thread of its own while the rest of the service starts, and a replica is ready
 * for direct expert calls without waiting for it. The first classification waits until it is loaded.
 */
public final class ClassifierHolder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClassifierHolder.class);

    private final CompletableFuture<Loaded> loading;
    private final QueryClassifier classifier = new WaitingClassifier();

    private ClassifierHolder(CompletableFuture<Loaded> loading) {
        this.loading = loading;
    }

    /** A classifier that is loaded already. */
    static ClassifierHolder of(Loaded loaded) {
        return new ClassifierHolder(CompletableFuture.completedFuture(loaded));
    }

    /** Starts loading on a new platform thread; classification waits for it. */
    static ClassifierHolder loadingInBackground(Supplier<Loaded> loader) {
        CompletableFuture<Loaded> loading = new CompletableFuture<>();
        Thread.ofPlatform().name("classifier-loader").daemon().start(() -> {
            try {
                loading.complete(loader.get());
            } catch (RuntimeException | Error e) {
                log.error("The classifier could not be loaded; classification will fail", e);
                loading.completeExceptionally(e);
            }
        });
        return new ClassifierHolder(loading);
    }

    /** Classifies with the loaded classifier, waiting for it on the first calls. */
    public QueryClassifier classifier() {
        return classifier;
    }

    /** The trainable classifier behind the served one, if it is trainable; waits while it loads. */
    public Optional<TrainableClassifier> trainable() {
        return loaded().trainable();
    }

    @Override
    public void close() throws Exception {
        Loaded loaded;
        try {
            loaded = loading.join();
        } catch (CompletionException | CancellationException e) {
            return;
        }
        for (AutoCloseable resource : loaded.resources()) {
            resource.close();
        }
    }

    private Loaded loaded() {
        try {
            return loading.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** A classifier as loaded: the one to serve, the trainable one behind it, what to close. */
    record Loaded(QueryClassifier served, Optional<TrainableClassifier> trainable, List<AutoCloseable> resources) {}

    private final class WaitingClassifier implements QueryClassifier {

        @Override
        public SkillVector classify(String text) {
            return loaded().served().classify(text);
        }

        @Override
        public List<SkillVector> classifyAll(List<String> texts) {
            return loaded().served().classifyAll(texts);
        }
    }
}
