package io.consilium.router.experts;

import io.consilium.registry.InvalidExpertException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads expert definitions strictly: an unknown field is an error that names it, so that a typo
 * (say {@code base_uri}) cannot silently leave an expert half-configured.
 */
public final class ExpertSpecReader {

    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final YAMLMapper yaml = YAMLMapper.builder().build();

    /** Reads an admin API body (snake_case). */
    public ExpertSpec fromJson(JsonNode body) {
        if (!body.isObject()) {
            throw new InvalidExpertException("(body)", body.getNodeType().name().toLowerCase(), "must be a JSON object");
        }
        try {
            return json.treeToValue(body, ExpertSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidExpertException(e.getPropertyName(), "(present)", "is not a known field");
        } catch (JacksonException e) {
            String field = e.getPath().isEmpty() ? "(body)" : e.getPath().getLast().getPropertyName();
            throw new InvalidExpertException(String.valueOf(field), "(given)", "has the wrong type");
        }
    }

    /**
     * Reads a YAML file holding a list of experts, or a map with an {@code experts} list. Keys may be
     * kebab-case, as in the service's own configuration. Entries come back as snake_case JSON, to be
     * read one by one with {@link #fromJson} so that an error can name its entry.
     */
    public List<JsonNode> readYamlEntries(Path file) throws IOException {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = yaml.readTree(in);
        }
        JsonNode list = root.isObject() && root.has("experts") ? root.get("experts") : root;
        if (list == null || list.isNull() || list.isMissingNode()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("must hold a list of experts");
        }
        List<JsonNode> entries = new ArrayList<>();
        for (JsonNode entry : list) {
            entries.add(snakeCaseKeys(entry));
        }
        return entries;
    }

    private static JsonNode snakeCaseKeys(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                copy.set(field.getKey().replace('-', '_'), snakeCaseKeys(field.getValue()));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(element -> copy.add(snakeCaseKeys(element)));
            return copy;
        }
        return node;
    }
}
