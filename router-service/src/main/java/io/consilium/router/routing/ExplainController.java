package io.consilium.router.routing;

import io.consilium.profiler.SkillScore;
import io.consilium.registry.ChatRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /v1/routing/explain}: the plan a chat request would get, without calling any expert. */
@RestController
class ExplainController {

    private final Router router;

    ExplainController(Router router) {
        this.router = router;
    }

    @PostMapping(path = "/v1/routing/explain", consumes = MediaType.APPLICATION_JSON_VALUE)
    Explanation explain(@RequestBody JsonNode body) {
        if (!(body instanceof ObjectNode object) || !object.path("messages").isArray() || object.path("messages").isEmpty()) {
            throw new InvalidRoutingRequestException("messages", "The body must be a chat completion request with messages.");
        }
        String model = object.path("model").asString(Router.AUTO);
        if (!Router.isVirtual(model)) {
            throw new InvalidRoutingRequestException("model", "Explain plans the virtual models " + Router.AUTO + " and "
                    + Router.ROUTE + "; a request to an expert id goes to that expert.");
        }
        Plan plan = router.plan(new ChatRequest(object), model, RoutingOptions.parse(object.path("consilium")));
        return new Explanation(model, plan.strategy().id(), plan.fusion().id(), plan.experts().size(),
                plan.skills().skills().stream().filter(skill -> skill.score() >= 0.01).toList(), plan.skills().uncertain(),
                plan.experts().stream().map(ExplainedExpert::of).toList(),
                plan.reserves().stream().map(ExplainedExpert::of).toList(),
                plan.aggregator() == null ? null : plan.aggregator().id());
    }

    /** The plan as the API shows it. */
    record Explanation(String model, String strategy, String fusion, int k, List<SkillScore> skills, boolean uncertain,
            List<ExplainedExpert> experts, List<ExplainedExpert> reserves, @Nullable String aggregator) {}

    /** A chosen expert, its score and the skills that drove it (their contributions to the score). */
    record ExplainedExpert(String id, double score, List<SkillScore> driving_skills) {
        static ExplainedExpert of(PlannedExpert planned) {
            return new ExplainedExpert(planned.expert().id(), planned.score(), planned.drivingSkills());
        }
    }
}
