package io.consilium.router.experts;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.InvalidExpertException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Registers the experts named in configuration at start-up. Any bad entry stops the start with a
 * message that names the entry and the field: a half-loaded catalogue is worse than none.
 */
final class ExpertBootstrap {

    private final ExpertSpecReader reader;

    ExpertBootstrap(ExpertSpecReader reader) {
        this.reader = reader;
    }

    /** Loads the configured experts into the registry; returns how many were loaded. */
    int load(ExpertsProperties properties, ExpertRegistry registry) {
        Set<String> seen = new HashSet<>();
        List<ExpertSpec> configured = properties.experts();
        for (int i = 0; i < configured.size(); i++) {
            register(registry, configured.get(i), "consilium.experts[" + i + "]", seen);
        }
        if (properties.expertsFile() != null && !properties.expertsFile().isBlank()) {
            loadFile(Path.of(properties.expertsFile().trim()), registry, seen);
        }
        return seen.size();
    }

    private void loadFile(Path file, ExpertRegistry registry, Set<String> seen) {
        String where = "consilium.experts-file " + file;
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(where + ": no such file");
        }
        List<JsonNode> entries;
        try {
            entries = reader.readYamlEntries(file);
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            throw new IllegalStateException(where + ": not a readable YAML list of experts (" + e.getMessage() + ")", e);
        }
        for (int i = 0; i < entries.size(); i++) {
            String entry = where + " entry [" + i + "]";
            ExpertSpec spec;
            try {
                spec = reader.fromJson(entries.get(i));
            } catch (InvalidExpertException e) {
                throw new IllegalStateException(entry + ": " + e.getMessage(), e);
            }
            register(registry, spec, entry, seen);
        }
    }

    private static void register(ExpertRegistry registry, ExpertSpec spec, String entry, Set<String> seen) {
        String label = entry + describe(spec.id());
        try {
            Expert expert = spec.toExpert();
            if (!seen.add(expert.id())) {
                throw new IllegalStateException(label + ": the id is defined twice");
            }
            registry.put(expert);
        } catch (InvalidExpertException e) {
            throw new IllegalStateException(label + ": " + e.getMessage(), e);
        }
    }

    private static String describe(@Nullable String id) {
        return id == null ? "" : " (id '" + id + "')";
    }
}
