package io.consilium.profiler;

/**
 * One skill of the taxonomy.
 *
 * @param id stable identifier such as {@code math.algebra}
 * @param description what questions the skill covers
 */
public record Skill(String id, String description) {}
