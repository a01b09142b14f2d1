package io.consilium.router.ui;

import io.consilium.profiler.ExpertProfile;
import io.consilium.profiler.ProfileService;
import io.consilium.profiler.Skill;
import io.consilium.profiler.SkillCounts;
import io.consilium.registry.Expert;
import java.util.ArrayList;
import java.util.List;

/**
 * Competence of each expert (columns) at each skill (rows). Skills are rows because there are many more
 * of them than experts, and a tall table reads better on a laptop than a wide one.
 */
record Heatmap(List<String> experts, List<Row> rows) {

    /** A skill's line. */
    record Row(String skill, String description, List<Cell> cells) {}

    /**
     * One expert at one skill.
     *
     * @param shade 0 (weak) to 10 (strong), the CSS class of a measured cell; a prior is shown apart, uncoloured
     * @param answers how many graded answers (weighted, rounded) the measurement rests on; empty for a prior
     * @param title the numbers behind the cell, shown on hover
     */
    record Cell(String value, int shade, boolean declared, boolean measured, String answers, String title) {

        /** The cell's CSS classes: a colour for a measurement, none for a prior, which is a guess. */
        public String css() {
            return measured ? "cell measured h" + shade : "cell prior";
        }
    }

    static Heatmap of(List<Expert> experts, List<Skill> skills, ProfileService profiles) {
        List<ExpertProfile> expertProfiles = experts.stream()
                .map(expert -> profiles.profile(expert.id()).orElseGet(() -> ExpertProfile.empty(expert.id())))
                .toList();
        List<Row> rows = new ArrayList<>();
        for (Skill skill : skills) {
            List<Cell> cells = new ArrayList<>();
            for (int i = 0; i < experts.size(); i++) {
                Expert expert = experts.get(i);
                double competence = profiles.competence(expert, skill.id());
                SkillCounts counts = expertProfiles.get(i).counts(skill.id());
                boolean declared = expert.skills().contains(skill.id());
                boolean measured = counts.attempted() > 0;
                cells.add(new Cell(Figures.score(competence), (int) Math.round(competence * 10), declared, measured,
                        measured ? Figures.count(counts.attempted()) : "", title(expert, skill, competence, counts, declared)));
            }
            rows.add(new Row(skill.id(), skill.description(), cells));
        }
        return new Heatmap(experts.stream().map(Expert::id).toList(), rows);
    }

    private static String title(Expert expert, Skill skill, double competence, SkillCounts counts, boolean declared) {
        String evidence = counts.attempted() > 0
                ? Figures.count(counts.correct()) + " correct of " + Figures.count(counts.attempted()) + " attempted"
                : "no measurements yet: the prior of " + (declared ? "a declared" : "an undeclared") + " skill";
        return expert.id() + " at " + skill.id() + ": competence " + Figures.score(competence) + " (" + evidence
                + (declared && counts.attempted() > 0 ? "; declared skill" : "") + ")";
    }
}
