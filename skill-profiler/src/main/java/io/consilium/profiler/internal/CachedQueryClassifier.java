package io.consilium.profiler.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillVector;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Remembers results by normalised text (Unicode NFKC, lower case, runs of white space folded), so a
 * repeated question costs a map lookup. Bounded; {@link #invalidateAll()} after the model changes.
 */
public final class CachedQueryClassifier implements QueryClassifier {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final QueryClassifier delegate;
    private final Cache<String, SkillVector> results;

    public CachedQueryClassifier(QueryClassifier delegate, int maxEntries) {
        this.delegate = delegate;
        this.results = Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    /** The key a text is cached under, which is also the text that gets classified. */
    public static String normalise(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return WHITESPACE.matcher(folded).replaceAll(" ").strip();
    }

    @Override
    public SkillVector classify(String text) {
        return results.get(normalise(text), delegate::classify);
    }

    /** Answers what it remembers, and classifies the rest in one batch through the delegate. */
    @Override
    public List<SkillVector> classifyAll(List<String> texts) {
        List<String> keys = texts.stream().map(CachedQueryClassifier::normalise).toList();
        List<String> missing = keys.stream().filter(key -> results.getIfPresent(key) == null).distinct().toList();
        if (!missing.isEmpty()) {
            List<SkillVector> computed = delegate.classifyAll(missing);
            for (int i = 0; i < missing.size(); i++) {
                results.put(missing.get(i), computed.get(i));
            }
        }
        return keys.stream().map(key -> results.get(key, delegate::classify)).toList();
    }

    public void invalidateAll() {
        results.invalidateAll();
    }

    /** Entries currently cached. */
    public long size() {
        results.cleanUp();
        return results.estimatedSize();
    }
}
