package io.consilium.router.profiling;

import io.consilium.profiler.ExpertProfile;
import io.consilium.profiler.ProfileService;
import io.consilium.profiler.SkillCounts;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/api/profiles}: per registered expert its global competence, per-skill competence
 * and counts (every measured or declared skill), aggregator score, version and last update.
 */
@RestController
class ProfilesController {

    private final ExpertRegistry registry;
    private final ProfileService profiles;

    ProfilesController(ExpertRegistry registry, ProfileService profiles) {
        this.registry = registry;
        this.profiles = profiles;
    }

    @GetMapping("/admin/api/profiles")
    ProfileList list() {
        List<Expert> experts = registry.all();
        List<ProfileView> views = experts.stream().map(this::view).toList();
        String defaultAggregator = profiles.bestAggregator(experts).map(Expert::id).orElse(null);
        return new ProfileList(views, defaultAggregator);
    }

    private ProfileView view(Expert expert) {
        ExpertProfile profile = profiles.profile(expert.id()).orElseGet(() -> ExpertProfile.empty(expert.id()));
        TreeSet<String> skillIds = new TreeSet<>(profile.skills().keySet());
        skillIds.addAll(expert.skills());
        List<SkillView> skills = new ArrayList<>();
        for (String skill : skillIds) {
            SkillCounts counts = profile.counts(skill);
            skills.add(new SkillView(skill, profiles.competence(expert, skill), round(counts.correct()),
                    round(counts.attempted()), expert.skills().contains(skill)));
        }
        Double aggregatorScore = expert.hasRole(Role.AGGREGATOR) ? profiles.aggregatorScore(expert) : null;
        return new ProfileView(expert.id(), profiles.globalCompetence(expert), aggregatorScore,
                round(profile.fusion().correct()), round(profile.fusion().attempted()), profile.errors(), skills,
                profile.version(), profile.version() == 0 ? null : profile.updatedAt());
    }

    private static double round(double count) {
        return Math.round(count * 1000) / 1000.0;
    }

    /** The response body. */
    record ProfileList(List<ProfileView> data, @Nullable String default_aggregator) {}

    /** One expert's profile. */
    record ProfileView(String expert_id, double global_competence, @Nullable Double aggregator_score,
            double fusion_correct, double fusion_attempted, long errors, List<SkillView> skills, long version,
            @Nullable Instant updated_at) {}

    /** One skill of a profile; {@code declared} says whether the expert claims it. */
    record SkillView(String id, double competence, double correct, double attempted, boolean declared) {}
}
