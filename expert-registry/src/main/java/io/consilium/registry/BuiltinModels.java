package io.consilium.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The models this service ships, by the name an expert of provider {@link Provider#BUILTIN} gives as its
 * {@code model}. Each model is made on first use and kept; whoever builds the catalogue closes it on shutdown,
 * which closes the models made.
 */
public final class BuiltinModels implements AutoCloseable {

    private static final BuiltinModels NONE = new BuiltinModels(Map.of());

    private final Map<String, Supplier<? extends BuiltinEmbedder>> makers;
    private final ConcurrentHashMap<String, BuiltinEmbedder> made = new ConcurrentHashMap<>();

    private BuiltinModels(Map<String, Supplier<? extends BuiltinEmbedder>> makers) {
        this.makers = Map.copyOf(makers);
    }

    /** No built-in model: experts of provider builtin are refused. */
    public static BuiltinModels none() {
        return NONE;
    }

    /** The embedders by model name; each supplier runs at most once, on the model's first use. */
    public static BuiltinModels of(Map<String, Supplier<? extends BuiltinEmbedder>> embedders) {
        return new BuiltinModels(new LinkedHashMap<>(embedders));
    }

    /** The names experts may give as their model. */
    public Set<String> names() {
        return makers.keySet();
    }

    /** The embedder of the name, made now if this is its first use. */
    public Optional<BuiltinEmbedder> embedder(String model) {
        Supplier<? extends BuiltinEmbedder> maker = makers.get(model);
        if (maker == null) {
            return Optional.empty();
        }
        return Optional.of(made.computeIfAbsent(model, name -> maker.get()));
    }

    @Override
    public void close() {
        for (BuiltinEmbedder embedder : made.values()) {
            if (embedder instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // native memory released on shutdown; nothing left to do
                }
            }
        }
        made.clear();
    }
}
