package io.consilium.profiler;

/**
 * Turns profile counts into competences. Skills an expert declares start from a more favourable prior
 * than the ones it does not, so that a fresh pool routes by declared strengths until evidence arrives.
 *
 * @param declared prior for a skill the expert declares
 * @param undeclared prior for any other skill
 * @param global prior for the expert's pooled competence over all skills
 * @param fusion prior for an aggregator's ability to fuse answers
 */
public record CompetenceModel(BetaPrior declared, BetaPrior undeclared, BetaPrior global, BetaPrior fusion) {

    /** Declared 0.7 and undeclared 0.4 before evidence, each worth about five graded answers. */
    public static final CompetenceModel DEFAULTS = new CompetenceModel(
            new BetaPrior(3.5, 1.5), new BetaPrior(2, 3), new BetaPrior(2, 2), new BetaPrior(1, 1));

    public double competence(ExpertProfile profile, String skillId, boolean declaredSkill) {
        return (declaredSkill ? declared : undeclared).posteriorMean(profile.counts(skillId));
    }

    public double globalCompetence(ExpertProfile profile) {
        return global.posteriorMean(profile.total());
    }

    public double fusionScore(ExpertProfile profile) {
        return fusion.posteriorMean(profile.fusion());
    }
}
