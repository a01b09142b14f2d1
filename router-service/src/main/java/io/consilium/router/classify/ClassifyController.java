package io.consilium.router.classify;

import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillScore;
import io.consilium.profiler.SkillVector;
import io.consilium.router.api.ApiException;
import io.consilium.router.config.ConsiliumProperties;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/classify}: the skills a text needs, as probabilities, highest first. */
@RestController
class ClassifyController {

    private final QueryClassifier classifier;
    private final int maxInputChars;

    ClassifyController(QueryClassifier classifier, ConsiliumProperties properties) {
        this.classifier = classifier;
        this.maxInputChars = properties.classifier().maxInputChars();
    }

    @PostMapping(path = "/v1/classify", consumes = MediaType.APPLICATION_JSON_VALUE)
    Classification classify(@RequestBody JsonNode body) {
        JsonNode input = body.path("input");
        if (!body.isObject() || input.isMissingNode() || input.isNull()) {
            throw ApiException.invalidRequest("input", "'input' is required.");
        }
        if (!input.isString()) {
            throw ApiException.invalidRequest("input", "'input' must be a string.");
        }
        String text = input.asString();
        if (text.isBlank()) {
            throw ApiException.invalidRequest("input", "'input' must not be empty.");
        }
        if (text.length() > maxInputChars) {
            throw ApiException.invalidRequest("input", "'input' is longer than " + maxInputChars + " characters.");
        }
        SkillVector vector = classifier.classify(text);
        return new Classification(vector.skills(), vector.uncertain());
    }

    /** The response body. */
    record Classification(List<SkillScore> skills, boolean uncertain) {}
}
