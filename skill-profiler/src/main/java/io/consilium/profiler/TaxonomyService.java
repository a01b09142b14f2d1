package io.consilium.profiler;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The live taxonomy: starts from the stored one (or the defaults), applies admin changes through the
 * store, and tells listeners (the classifier, which retrains) about every new version, whether it was
 * made here or, with a shared store, by another replica ({@link #reload()}).
 */
public final class TaxonomyService {

    /** Fewest exemplars a skill may have; fewer cannot teach a classifier anything reliable. */
    public static final int MIN_EXEMPLARS = 5;
    private static final int MAX_EXEMPLARS_PER_SKILL = 500;
    /** The name callers give the exemplars, for errors that point at them. */
    private static final String EXEMPLARS = "exemplars";

    private final TaxonomyStore store;
    private final List<Consumer<SkillTaxonomy>> listeners = new CopyOnWriteArrayList<>();
    private volatile SkillTaxonomy current;

    public TaxonomyService(TaxonomyStore store) {
        this.store = store;
        this.current = store.load().orElseGet(SkillTaxonomy::defaults);
    }

    public SkillTaxonomy current() {
        return current;
    }

    public boolean contains(String skillId) {
        return current.contains(skillId);
    }

    /** Called with every new taxonomy, after it has been stored. */
    public void onChange(Consumer<SkillTaxonomy> listener) {
        listeners.add(listener);
    }

    /**
     * Adopts the stored taxonomy when it is newer than the current one, because another replica changed
     * it; listeners hear of it as of a change made here. Versions only grow, so an older stored taxonomy
     * means the shared store lost data (it is written back on resync) and is never adopted; nothing stored
     * keeps the current taxonomy too. Returns whether it changed.
     */
    public synchronized boolean reload() {
        SkillTaxonomy stored = store.load().orElse(null);
        if (stored == null || stored.version() <= current.version()) {
            return false;
        }
        current = stored;
        listeners.forEach(listener -> listener.accept(stored));
        return true;
    }

    /** Adds a new skill with its first exemplars; a blank exemplar is refused, not dropped. */
    public SkillTaxonomy addSkill(String id, String description, List<String> exemplars) {
        requireText(exemplars);
        return change(taxonomy -> {
            if (taxonomy.contains(id)) {
                throw new TaxonomyException(TaxonomyException.Kind.CONFLICT, "skill '" + id + "' already exists");
            }
            List<String> distinct = distinct(exemplars);
            if (distinct.size() < MIN_EXEMPLARS) {
                throw new TaxonomyException(TaxonomyException.Kind.INVALID, EXEMPLARS, "a new skill needs at least "
                        + MIN_EXEMPLARS + " distinct exemplars, but had " + distinct.size());
            }
            return taxonomy.with(skill(id, description, distinct));
        });
    }

    /** Adds exemplars to a skill; ones it already has are ignored, a blank one is refused. */
    public SkillTaxonomy addExemplars(String skillId, List<String> exemplars) {
        requireText(exemplars);
        return change(taxonomy -> {
            Skill skill = existing(taxonomy, skillId);
            List<String> merged = new ArrayList<>(skill.exemplars());
            merged.addAll(exemplars);
            List<String> distinct = distinct(merged);
            if (distinct.size() > MAX_EXEMPLARS_PER_SKILL) {
                throw new TaxonomyException(TaxonomyException.Kind.INVALID, EXEMPLARS, "skill '" + skillId
                        + "' may have at most " + MAX_EXEMPLARS_PER_SKILL + " exemplars, but would have " + distinct.size());
            }
            return taxonomy.with(skill(skillId, skill.description(), distinct));
        });
    }

    /** Removes one exemplar from a skill. */
    public SkillTaxonomy removeExemplar(String skillId, String exemplar) {
        return change(taxonomy -> {
            Skill skill = existing(taxonomy, skillId);
            List<String> remaining = new ArrayList<>(skill.exemplars());
            if (!remaining.remove(exemplar.strip())) {
                throw new TaxonomyException(TaxonomyException.Kind.NOT_FOUND,
                        "skill '" + skillId + "' has no such exemplar");
            }
            if (remaining.size() < MIN_EXEMPLARS) {
                throw new TaxonomyException(TaxonomyException.Kind.INVALID, "skill '" + skillId
                        + "' must keep at least " + MIN_EXEMPLARS + " exemplars");
            }
            return taxonomy.with(skill.withExemplars(remaining));
        });
    }

    private synchronized SkillTaxonomy change(UnaryOperator<SkillTaxonomy> edit) {
        SkillTaxonomy before = current;
        SkillTaxonomy next = edit.apply(before);
        if (!store.compareAndSet(before.version(), next)) {
            current = store.load().orElse(before);
            throw new TaxonomyException(TaxonomyException.Kind.CONFLICT,
                    "the taxonomy was changed elsewhere meanwhile; retry on the current version " + current.version());
        }
        current = next;
        listeners.forEach(listener -> listener.accept(next));
        return next;
    }

    private static Skill existing(SkillTaxonomy taxonomy, String skillId) {
        return taxonomy.find(skillId).orElseThrow(() ->
                new TaxonomyException(TaxonomyException.Kind.NOT_FOUND, "no skill with id '" + skillId + "'"));
    }

    private static Skill skill(String id, String description, List<String> exemplars) {
        try {
            return new Skill(id, description, exemplars);
        } catch (IllegalArgumentException e) {
            throw new TaxonomyException(TaxonomyException.Kind.INVALID, e.getMessage());
        }
    }

    /** A blank exemplar teaches nothing; it was dropped silently once, which hid the caller's mistake. */
    private static void requireText(List<String> exemplars) {
        for (int i = 0; i < exemplars.size(); i++) {
            if (exemplars.get(i).isBlank()) {
                throw new TaxonomyException(TaxonomyException.Kind.INVALID, EXEMPLARS, EXEMPLARS + "[" + i
                        + "] is blank; every exemplar must be a non-empty text");
            }
        }
    }

    private static List<String> distinct(List<String> exemplars) {
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String exemplar : exemplars) {
            distinct.add(exemplar.strip());
        }
        return List.copyOf(distinct);
    }
}
