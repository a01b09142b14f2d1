package io.consilium.profiler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The skills requests are classified into and experts are profiled on, each with its exemplar
 * queries. Immutable; every change gives a new taxonomy with the next version.
 */
public final class SkillTaxonomy {

    private static final String DEFAULT_SKILLS = "default-skills.tsv";
    private static final String EXEMPLARS = "exemplars/";

    private final long version;
    private final Map<String, Skill> skills;
    private final List<Skill> ordered;

    public SkillTaxonomy(long version, List<Skill> skills) {
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative, but was " + version);
        }
        Map<String, Skill> byId = new LinkedHashMap<>();
        for (Skill skill : skills) {
            if (byId.putIfAbsent(skill.id(), skill) != null) {
                throw new IllegalArgumentException("skill id '" + skill.id() + "' appears twice");
            }
        }
        this.version = version;
        this.skills = byId;
        this.ordered = List.copyOf(byId.values());
    }

    /** The default taxonomy shipped with the service, with its exemplars (version 0). */
    public static SkillTaxonomy defaults() {
        List<Skill> skills = new ArrayList<>();
        for (String line : readLines(DEFAULT_SKILLS)) {
            String[] columns = line.split("\t", 2);
            skills.add(new Skill(columns[0], columns[1], readLines(EXEMPLARS + columns[0] + ".txt")));
        }
        return new SkillTaxonomy(0, skills);
    }

    public long version() {
        return version;
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

    /** Skill ids in taxonomy order. */
    public List<String> ids() {
        return ordered.stream().map(Skill::id).toList();
    }

    /** The next version with the skill added or replaced. */
    public SkillTaxonomy with(Skill skill) {
        List<Skill> next = new ArrayList<>(ordered);
        next.replaceAll(existing -> existing.id().equals(skill.id()) ? skill : existing);
        if (!skills.containsKey(skill.id())) {
            next.add(skill);
        }
        return new SkillTaxonomy(version + 1, next);
    }

    /**
     * A digest of everything a classifier head learns from: skill ids in order and their exemplars.
     * Descriptions are left out, so rewording one does not force retraining.
     */
    public String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Skill skill : ordered) {
                digest.update(skill.id().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                for (String exemplar : skill.exemplars()) {
                    digest.update(exemplar.getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) 1);
                }
                digest.update((byte) 2);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Non-blank, non-comment lines of a bundled resource. */
    private static List<String> readLines(String resource) {
        try (InputStream in = SkillTaxonomy.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            List<String> lines = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    lines.add(trimmed);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
