package io.consilium.profiler;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One skill of the taxonomy.
 *
 * @param id stable identifier such as {@code math.algebra}
 * @param description what questions the skill covers
 * @param exemplars example queries the classifier learns the skill from
 */
public record Skill(String id, String description, List<String> exemplars) {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*){0,3}");
    private static final int MAX_ID = 64;
    private static final int MAX_DESCRIPTION = 500;
    /** Longest exemplar kept; longer text is cut at the classifier's token cap anyway. */
    public static final int MAX_EXEMPLAR = 2_000;

    public Skill {
        if (id.length() > MAX_ID || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("skill id must match " + ID.pattern() + " (at most " + MAX_ID
                    + " characters), but was '" + id + "'");
        }
        if (description.isBlank() || description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("skill description must be 1 to " + MAX_DESCRIPTION
                    + " characters, but was " + description.length());
        }
        exemplars = List.copyOf(exemplars);
        for (String exemplar : exemplars) {
            if (exemplar.isBlank() || exemplar.length() > MAX_EXEMPLAR) {
                throw new IllegalArgumentException("exemplars of skill '" + id + "' must be 1 to " + MAX_EXEMPLAR
                        + " characters, but one was " + exemplar.length());
            }
        }
    }

    /** The same skill with other exemplars. */
    public Skill withExemplars(List<String> newExemplars) {
        return new Skill(id, description, newExemplars);
    }
}
