package io.consilium.router.ui;

import io.consilium.profiler.TaxonomyService;
import io.consilium.registry.ApiKeyUpdate;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertApi;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Modality;
import io.consilium.registry.Provider;
import io.consilium.registry.Role;
import io.consilium.router.experts.ExpertSpec;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * {@code /admin/experts}: the table of experts and the form to register or change one. The form is sent
 * by the page to {@code /admin/api/experts}, so that the admin API's validation applies and its errors
 * (which name the field) appear next to the field; enabling and disabling need no validation and are done
 * here. Both change an expert through {@link ExpertRegistry#update}, which keeps a stored key only for the
 * endpoint it was given for.
 */
@Controller
class ExpertsController {

    private final ExpertRegistry registry;
    private final TaxonomyService taxonomy;
    private final CallStatistics statistics;

    ExpertsController(ExpertRegistry registry, TaxonomyService taxonomy, CallStatistics statistics) {
        this.registry = registry;
        this.taxonomy = taxonomy;
        this.statistics = statistics;
    }

    @GetMapping("/admin/experts")
    String page(Model model) {
        model.addAttribute("rows", rows());
        model.addAttribute("window", CallStatistics.WINDOW.toMinutes());
        return "admin/experts";
    }

    @GetMapping("/admin/experts/rows")
    String table(Model model) {
        model.addAttribute("rows", rows());
        model.addAttribute("window", CallStatistics.WINDOW.toMinutes());
        return "admin/experts :: table";
    }

    @GetMapping("/admin/experts/new")
    String newForm(Model model) {
        return form(model, ExpertForm.blank(), false);
    }

    @GetMapping("/admin/experts/{id}/edit")
    String editForm(@PathVariable String id, Model model) {
        return form(model, ExpertForm.of(ExpertSpec.of(find(id))), true);
    }

    @PostMapping("/admin/experts/{id}/enable")
    String enable(@PathVariable String id, Model model) {
        registry.update(find(id).toBuilder().enabled(true).build(), ApiKeyUpdate.keep());
        return table(model);
    }

    @PostMapping("/admin/experts/{id}/disable")
    String disable(@PathVariable String id, Model model) {
        registry.update(find(id).toBuilder().enabled(false).build(), ApiKeyUpdate.keep());
        return table(model);
    }

    private String form(Model model, ExpertForm form, boolean editing) {
        model.addAttribute("form", form);
        model.addAttribute("editing", editing);
        model.addAttribute("providers", Arrays.stream(Provider.values()).map(Provider::id).toList());
        model.addAttribute("roles", Arrays.stream(Role.values()).map(Role::id).toList());
        model.addAttribute("modalities", Arrays.stream(Modality.values()).map(Modality::id).toList());
        model.addAttribute("apis", Arrays.stream(ExpertApi.values()).map(ExpertApi::id).toList());
        model.addAttribute("skills", taxonomy.current().ids());
        return "admin/expert-form :: form";
    }

    private List<ExpertRow> rows() {
        CallStatistics.Reading recent = statistics.recent();
        return registry.all().stream()
                .map(expert -> ExpertRow.of(expert, Health.of(expert, registry), recent.expert(expert.id())))
                .toList();
    }

    private Expert find(String id) {
        return registry.find(id).orElseThrow(() -> new PageNotFoundException(
                "There is no expert '" + id + "' (any more). The experts page lists the current ones."));
    }
}
