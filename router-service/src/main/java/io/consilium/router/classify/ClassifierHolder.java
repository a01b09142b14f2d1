package io.consilium.router.classify;

import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.TrainableClassifier;
import java.util.List;
import java.util.Optional;

/**
 * The classifier the service uses, the trainable one behind it when there is one, and the native
 * resources to release on shutdown.
 */
public record ClassifierHolder(QueryClassifier classifier, Optional<TrainableClassifier> trainable,
        List<AutoCloseable> resources) implements AutoCloseable {

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }
}
