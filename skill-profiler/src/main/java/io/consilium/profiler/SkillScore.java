package io.consilium.profiler;

/**
 * The probability that a query needs one skill.
 *
 * @param id the skill id
 * @param score probability in [0, 1]
 */
public record SkillScore(String id, double score) {}
