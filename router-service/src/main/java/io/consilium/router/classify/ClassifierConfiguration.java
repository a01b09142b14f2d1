package io.consilium.router.classify;

import io.consilium.profiler.ClassifierException;
import io.consilium.profiler.ClassifierSettings;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SentenceEncoder;
import io.consilium.profiler.SkillClassifiers;
import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.TaxonomyService;
import io.consilium.profiler.TaxonomyStore;
import io.consilium.profiler.TrainableClassifier;
import io.consilium.profiler.UncertaintyThresholds;
import io.consilium.profiler.internal.OnnxSequenceClassifier;
import io.consilium.router.config.ConsiliumProperties;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the taxonomy and the classifier chosen by {@code consilium.classifier.type}. A bad classifier
 * setting or model file stops the start with a message naming it; the built-in classifier, which has
 * neither, finishes loading after the service is ready. The taxonomy's store comes from the
 * {@code taxonomy} package.
 */
@Configuration(proxyBeanMethods = false)
class ClassifierConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClassifierConfiguration.class);

    @Bean
    TaxonomyService taxonomyService(TaxonomyStore store) {
        return new TaxonomyService(store);
    }

    @Bean
    ClassifierHolder classifierHolder(ConsiliumProperties properties, TaxonomyService taxonomy) {
        ConsiliumProperties.Classifier config = properties.classifier();
        ClassifierSettings settings = new ClassifierSettings(config.maxTokens(), config.tailTokens(),
                config.skipFillerWords(), config.firstReading().toSettings(), config.intraOpThreads(), config.cacheSize(),
                new UncertaintyThresholds(config.minTopProbability(), config.minMargin()));
        return switch (config.type()) {
            case "builtin" -> builtin(settings, taxonomy);
            case "onnx" -> onnx(config, settings, taxonomy);
            default -> throw new ClassifierException("consilium.classifier.type must be builtin or onnx, but was '"
                    + config.type() + "'");
        };
    }

    @Bean
    QueryClassifier queryClassifier(ClassifierHolder holder) {
        return holder.classifier();
    }

    /** The built-in classifier loads in the background: it ships with the service, so it cannot be misconfigured. */
    private static ClassifierHolder builtin(ClassifierSettings settings, TaxonomyService taxonomy) {
        return ClassifierHolder.loadingInBackground(() -> loadBuiltin(settings, taxonomy));
    }

    private static ClassifierHolder.Loaded loadBuiltin(ClassifierSettings settings, TaxonomyService taxonomy) {
        long started = System.nanoTime();
        SkillTaxonomy before = taxonomy.current();
        SentenceEncoder encoder = SkillClassifiers.miniLm(settings);
        TrainableClassifier trainable = SkillClassifiers.builtin(encoder, taxonomy, settings);
        // The taxonomy file is applied while this runs: a change made before the classifier listened for
        // changes is caught here.
        SkillTaxonomy after = taxonomy.current();
        if (after.version() != before.version()) {
            trainable.retrain(after);
        }
        QueryClassifier served = trainable;
        if (settings.cacheSize() > 0) {
            SkillClassifiers.CachingClassifier cached = SkillClassifiers.cached(trainable, settings.cacheSize());
            // Registered after the classifier's own listener, so the cache empties once the new head is in.
            taxonomy.onChange(changed -> cached.invalidateAll());
            served = cached;
        }
        log.info("Built-in classifier ready for {} skills in {} ms", taxonomy.current().skills().size(),
                (System.nanoTime() - started) / 1_000_000);
        return new ClassifierHolder.Loaded(served, Optional.of(trainable), List.of(encoder));
    }

    private static ClassifierHolder onnx(ConsiliumProperties.Classifier config, ClassifierSettings settings,
            TaxonomyService taxonomy) {
        ConsiliumProperties.Classifier.Onnx onnx = config.onnx();
        if (onnx.modelPath() == null || onnx.tokenizerPath() == null) {
            throw new ClassifierException("consilium.classifier.onnx.model-path and tokenizer-path are required"
                    + " when consilium.classifier.type is onnx");
        }
        for (String label : onnx.labels()) {
            if (!taxonomy.contains(label)) {
                throw new ClassifierException("consilium.classifier.onnx.labels names '" + label
                        + "', which is not a skill of the taxonomy");
            }
        }
        OnnxSequenceClassifier model = OnnxSequenceClassifier.load(Path.of(onnx.modelPath()),
                Path.of(onnx.tokenizerPath()), onnx.labels(), settings.thresholds(), settings.maxTokens(),
                settings.intraOpThreads());
        QueryClassifier served = settings.cacheSize() > 0 ? SkillClassifiers.cached(model, settings.cacheSize()) : model;
        log.info("ONNX classifier {} ready for {} labels", onnx.modelPath(), onnx.labels().size());
        return ClassifierHolder.of(new ClassifierHolder.Loaded(served, Optional.empty(), List.of(model)));
    }
}
