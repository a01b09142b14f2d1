package io.consilium.router.ui;

import io.consilium.profiler.ProfileService;
import io.consilium.profiler.Skill;
import io.consilium.profiler.TaxonomyService;
import io.consilium.profiler.TrainingSummary;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.router.classify.ClassifierHolder;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * {@code /admin/skills}: competence of every expert at every skill (the same numbers the router uses),
 * the aggregator ranking, and the taxonomy with its exemplars. Adding skills and exemplars goes through
 * {@code /admin/api/taxonomy}.
 */
@Controller
class SkillsController {

    private final ExpertRegistry registry;
    private final ProfileService profiles;
    private final TaxonomyService taxonomy;
    private final ClassifierHolder classifier;

    SkillsController(ExpertRegistry registry, ProfileService profiles, TaxonomyService taxonomy,
            ClassifierHolder classifier) {
        this.registry = registry;
        this.profiles = profiles;
        this.taxonomy = taxonomy;
        this.classifier = classifier;
    }

    @GetMapping("/admin/skills")
    String page(Model model) {
        List<Expert> experts = registry.all();
        List<Skill> skills = taxonomy.current().skills();
        model.addAttribute("heatmap", Heatmap.of(experts, skills, profiles));
        model.addAttribute("aggregators", AggregatorRank.of(experts, profiles));
        model.addAttribute("skills", skills);
        model.addAttribute("training", classifier.trainable().flatMap(t -> t.lastTraining())
                .map(SkillsController::describe).orElse(null));
        return "admin/skills";
    }

    @GetMapping("/admin/skills/{id}")
    String skill(@PathVariable String id, Model model) {
        Skill skill = taxonomy.current().find(id).orElseThrow(() -> new PageNotFoundException(
                "There is no skill '" + id + "' in the taxonomy."));
        model.addAttribute("skill", skill);
        return "admin/skills :: detail";
    }

    private static String describe(TrainingSummary training) {
        return String.format(Locale.ROOT, "Classifier retrained on %d exemplars of %d skills in %.1f s: "
                        + "cross-validated accuracy %.0f %% (top 1), %.0f %% (top 3).",
                training.examples(), training.skills(), training.millis() / 1000.0,
                training.crossValidatedTop1() * 100, training.crossValidatedTop3() * 100);
    }
}
