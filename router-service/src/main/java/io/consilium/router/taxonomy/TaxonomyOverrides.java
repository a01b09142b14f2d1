package io.consilium.router.taxonomy;

import io.consilium.profiler.Skill;
import io.consilium.profiler.TaxonomyException;
import io.consilium.profiler.TaxonomyService;
import io.consilium.router.api.JsonFields;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Applies {@code consilium.taxonomy-file} at start-up, so a deployment can carry its own skills in its
 * configuration: a skill the taxonomy lacks is added, a known skill gets the exemplars it lacks. Applying
 * the same file again changes nothing, so every replica may apply it on every start.
 *
 * <pre>
 * skills:
 *   - id: cooking
 *     description: recipes and kitchen technique
 *     exemplars: ["How long do I boil an egg?", …]     # at least five for a new skill
 *   - id: law
 *     exemplars: ["Is a verbal agreement binding?"]   # added to the default skill
 * </pre>
 */
final class TaxonomyOverrides {

    private static final Logger log = LoggerFactory.getLogger(TaxonomyOverrides.class);
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private TaxonomyOverrides() {}

    /** Applies the file; a file that cannot be read or applied stops the start, naming the entry. */
    static void apply(Path file, TaxonomyService taxonomy) {
        JsonNode skills = read(file).path("skills");
        if (!skills.isArray()) {
            throw new IllegalStateException(where(file) + " must hold a 'skills' list");
        }
        int changed = 0;
        for (int i = 0; i < skills.size(); i++) {
            JsonNode entry = skills.get(i);
            String id = entry.path("id").asString("");
            try {
                if (id.isBlank()) {
                    throw new IllegalArgumentException("'id' is required");
                }
                List<String> exemplars = JsonFields.strings(entry.path("exemplars"), "exemplars", "texts");
                changed += applyOne(taxonomy, id, entry.path("description").asString(id), exemplars) ? 1 : 0;
            } catch (TaxonomyException | IllegalArgumentException | io.consilium.router.api.ApiException e) {
                throw new IllegalStateException(where(file) + " skills[" + i + "] ('" + id + "'): " + e.getMessage(), e);
            }
        }
        log.info("Taxonomy file {}: {} of {} skills changed the taxonomy", file, changed, skills.size());
    }

    private static boolean applyOne(TaxonomyService taxonomy, String id, String description, List<String> exemplars) {
        Optional<Skill> known = taxonomy.current().find(id);
        if (known.isEmpty()) {
            taxonomy.addSkill(id, description, exemplars);
            return true;
        }
        List<String> missing = exemplars.stream().map(String::strip)
                .filter(exemplar -> !known.get().exemplars().contains(exemplar)).distinct().toList();
        if (missing.isEmpty()) {
            return false;
        }
        taxonomy.addExemplars(id, missing);
        return true;
    }

    private static JsonNode read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return YAML.readTree(in);
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException(where(file) + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String where(Path file) {
        return "consilium.taxonomy-file (" + file + ")";
    }
}
