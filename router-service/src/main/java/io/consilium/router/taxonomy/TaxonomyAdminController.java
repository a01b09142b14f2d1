package io.consilium.router.taxonomy;

import io.consilium.profiler.Skill;
import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.TaxonomyService;
import io.consilium.profiler.TrainingSummary;
import io.consilium.router.api.ApiException;
import io.consilium.router.api.JsonFields;
import io.consilium.router.classify.ClassifierHolder;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code /admin/api/taxonomy}: list skills, add a skill, add or remove exemplars. Every change is stored
 * and retrains the built-in classifier before the call returns.
 */
@RestController
@RequestMapping("/admin/api/taxonomy")
class TaxonomyAdminController {

    private final TaxonomyService taxonomy;
    private final ClassifierHolder classifier;

    TaxonomyAdminController(TaxonomyService taxonomy, ClassifierHolder classifier) {
        this.taxonomy = taxonomy;
        this.classifier = classifier;
    }

    @GetMapping
    TaxonomyView list() {
        return view(taxonomy.current());
    }

    @GetMapping("/skills/{id}")
    Skill skill(@PathVariable String id) {
        return taxonomy.current().find(id)
                .orElseThrow(() -> ApiException.notFound("skill_not_found", "no skill with id '" + id + "'"));
    }

    @PostMapping("/skills")
    ResponseEntity<TaxonomyView> addSkill(@RequestBody JsonNode body) {
        String id = requiredString(body, "id");
        String description = requiredString(body, "description");
        SkillTaxonomy changed = taxonomy.addSkill(id, description, exemplars(body));
        return ResponseEntity.created(URI.create("/admin/api/taxonomy/skills/" + id)).body(view(changed));
    }

    @PostMapping("/skills/{id}/exemplars")
    TaxonomyView addExemplars(@PathVariable String id, @RequestBody JsonNode body) {
        List<String> exemplars = exemplars(body);
        if (exemplars.isEmpty()) {
            throw ApiException.invalidRequest("exemplars", "'exemplars' must list at least one text.");
        }
        return view(taxonomy.addExemplars(id, exemplars));
    }

    @DeleteMapping("/skills/{id}/exemplars")
    TaxonomyView removeExemplar(@PathVariable String id, @RequestParam("text") String text) {
        return view(taxonomy.removeExemplar(id, text));
    }

    private TaxonomyView view(SkillTaxonomy current) {
        List<SkillSummary> skills = current.skills().stream()
                .map(skill -> new SkillSummary(skill.id(), skill.description(), skill.exemplars().size()))
                .toList();
        TrainingView training = classifier.trainable().flatMap(t -> t.lastTraining()).map(TrainingView::of).orElse(null);
        return new TaxonomyView(current.version(), current.fingerprint(), skills, training);
    }

    private static List<String> exemplars(JsonNode body) {
        if (!body.path("exemplars").isArray()) {
            throw ApiException.invalidRequest("exemplars", "'exemplars' must be an array of texts.");
        }
        return JsonFields.strings(body.path("exemplars"), "exemplars", "texts");
    }

    private static String requiredString(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isString() || value.asString().isBlank()) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a non-empty string.");
        }
        return value.asString().strip();
    }


    /** The taxonomy as the admin API shows it; {@code training} is the last retraining in this process. */
    record TaxonomyView(long version, String fingerprint, List<SkillSummary> skills, @Nullable TrainingView training) {}

    /** The last retraining, in the API's snake_case. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record TrainingView(String fingerprint, int skills, int examples, double crossValidatedTop1,
            double crossValidatedTop3, double temperature, long millis, List<TrainingSummary.Confusion> confusions) {

        static TrainingView of(TrainingSummary summary) {
            return new TrainingView(summary.fingerprint(), summary.skills(), summary.examples(),
                    summary.crossValidatedTop1(), summary.crossValidatedTop3(), summary.temperature(), summary.millis(),
                    summary.confusions());
        }
    }

    /** One skill, with how many exemplars it has. */
    record SkillSummary(String id, String description, int exemplars) {}
}
