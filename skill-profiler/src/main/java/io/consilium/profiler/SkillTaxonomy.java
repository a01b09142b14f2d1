package io.consilium.profiler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The skills requests are classified into and experts are profiled on. Immutable. */
public final class SkillTaxonomy {

    private static final String DEFAULT_RESOURCE = "default-skills.tsv";

    private final Map<String, Skill> skills;
    private final List<Skill> ordered;

    private SkillTaxonomy(Map<String, Skill> skills) {
        this.skills = Map.copyOf(skills);
        this.ordered = List.copyOf(skills.values());
    }

    /** The default taxonomy shipped with the service. */
    public static SkillTaxonomy defaults() {
        try (InputStream in = SkillTaxonomy.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            Map<String, Skill> skills = new LinkedHashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", 2);
                skills.put(columns[0], new Skill(columns[0], columns[1]));
            }
            return new SkillTaxonomy(skills);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean contains(String skillId) {
        return skills.containsKey(skillId);
    }

    public Optional<Skill> find(String skillId) {
        return Optional.ofNullable(skills.get(skillId));
    }

    /** Skills in taxonomy order. */
    public List<Skill> skills() {
        return ordered;
    }
}
