package io.consilium.router.feedback;

import io.consilium.profiler.ProfileService;
import io.consilium.router.api.ApiException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/feedback}: a user's score in [-1, 1] for a recent completion updates the competence
 * of the experts that produced it, for the skills its request needed. Each completion counts once.
 */
@RestController
class FeedbackController {

    private final CompletionLog completions;
    private final ProfileService profiles;

    FeedbackController(CompletionLog completions, ProfileService profiles) {
        this.completions = completions;
        this.profiles = profiles;
    }

    @PostMapping(path = "/v1/feedback", consumes = MediaType.APPLICATION_JSON_VALUE)
    Accepted feedback(@RequestBody JsonNode body) {
        JsonNode id = body.path("completion_id");
        if (!id.isString() || id.asString().isBlank()) {
            throw ApiException.invalidRequest("completion_id", "'completion_id' must be a non-empty string.");
        }
        JsonNode score = body.path("score");
        if (!score.isNumber() || !(score.asDouble() >= -1 && score.asDouble() <= 1)) {
            throw ApiException.invalidRequest("score", "'score' must be a number between -1 and 1.");
        }
        CompletionLog.Completion completion = completions.find(id.asString()).orElseThrow(() ->
                ApiException.notFound("completion_not_found", "No recent completion with id '" + id.asString()
                        + "'. Feedback is accepted for a limited time after a completion."));
        if (!completion.feedbackGiven().compareAndSet(false, true)) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "feedback_already_given",
                    "completion_id", "Feedback for this completion was already recorded.", null);
        }
        Map<String, Double> skills = completions.skillsOf(completion);
        profiles.recordFeedback(completion.expertIds(), skills, score.asDouble());
        return new Accepted(completion.id(), completion.expertIds(), skills, score.asDouble());
    }


    /** What the feedback was applied to. */
    record Accepted(String completion_id, List<String> experts, Map<String, Double> skills, double score) {}
}
