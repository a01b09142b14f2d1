package io.consilium.router.ui;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Role;
import io.consilium.router.routing.Router;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /admin/playground}: the page that asks a question as a client would. The page itself calls
 * {@code /v1/classify}, {@code /v1/routing/explain} and a streamed {@code /v1/chat/completions}; this only
 * lists what can be chosen.
 */
@Controller
class PlaygroundController {

    private final ExpertRegistry registry;

    PlaygroundController(ExpertRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/admin/playground")
    String page(Model model) {
        List<Expert> enabled = registry.enabled();
        model.addAttribute("virtualModels", List.of(Router.AUTO, Router.ROUTE));
        // Embedding experts answer no chats, so they are neither asked nor profiled here.
        model.addAttribute("experts", enabled.stream().filter(e -> !e.servesEmbeddings()).map(Expert::id).toList());
        model.addAttribute("aggregators", enabled.stream().filter(e -> e.hasRole(Role.AGGREGATOR)).map(Expert::id).toList());
        return "admin/playground";
    }
}
