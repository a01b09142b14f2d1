package io.consilium.router.profiling;

import io.consilium.profiler.ExpertProfile;
import io.consilium.profiler.SkillCounts;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The stored form of an {@link ExpertProfile}: a JSON object of its own, counts as exact doubles. */
final class ProfileCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    String write(ExpertProfile profile) {
        ObjectNode node = JSON.createObjectNode();
        node.put("expert_id", profile.expertId());
        ObjectNode skills = node.putObject("skills");
        new TreeMap<>(profile.skills()).forEach((skill, counts) -> counts(skills.putObject(skill), counts));
        counts(node.putObject("fusion"), profile.fusion());
        node.put("errors", profile.errors());
        node.put("version", profile.version());
        node.put("updated_at", profile.updatedAt().toString());
        return JSON.writeValueAsString(node);
    }

    ExpertProfile read(String stored) {
        try {
            JsonNode node = JSON.readTree(stored);
            Map<String, SkillCounts> skills = new TreeMap<>();
            node.path("skills").properties().forEach(entry -> skills.put(entry.getKey(), counts(entry.getValue())));
            return new ExpertProfile(node.path("expert_id").asString(), skills, counts(node.path("fusion")),
                    node.path("errors").asLong(), node.path("version").asLong(),
                    Instant.parse(node.path("updated_at").asString()));
        } catch (JacksonException | IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalStateException("a stored expert profile cannot be read: " + e.getMessage(), e);
        }
    }

    private static void counts(ObjectNode node, SkillCounts counts) {
        node.put("correct", counts.correct());
        node.put("attempted", counts.attempted());
    }

    private static SkillCounts counts(JsonNode node) {
        return new SkillCounts(node.path("correct").asDouble(), node.path("attempted").asDouble());
    }
}
