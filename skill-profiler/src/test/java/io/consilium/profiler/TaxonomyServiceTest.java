package io.consilium.profiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaxonomyServiceTest {

    private static final List<String> FIVE = List.of("one", "two", "three", "four", "five");

    private TaxonomyStore store;
    private TaxonomyService service;
    private final List<SkillTaxonomy> notified = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = SkillClassifiers.inMemoryStore();
        store.compareAndSet(0, new SkillTaxonomy(1, List.of(
                new Skill("math.algebra", "equations", List.of("solve x+1=2", "factor x^2-1", "a", "b", "c")),
                new Skill("law", "statutes", List.of("is this legal", "contract terms", "d", "e", "f")))));
        service = new TaxonomyService(store);
        service.onChange(notified::add);
    }

    @Test
    void should_start_from_the_stored_taxonomy() {
        assertThat(service.current().version()).isEqualTo(1);
        assertThat(service.contains("law")).isTrue();
        assertThat(service.contains("science.physics")).isFalse();
    }

    @Test
    void should_add_a_skill_store_it_and_tell_listeners() {
        // given
        String fingerprintBefore = service.current().fingerprint();

        // when
        SkillTaxonomy changed = service.addSkill("cooking", "recipes and kitchen technique", FIVE);

        // then
        assertThat(changed.version()).isEqualTo(2);
        assertThat(changed.ids()).containsExactly("math.algebra", "law", "cooking");
        assertThat(store.load()).contains(changed);
        assertThat(notified).containsExactly(changed);
        assertThat(changed.fingerprint()).isNotEqualTo(fingerprintBefore);
    }

    @Test
    void should_refuse_a_duplicate_skill_a_bad_id_and_too_few_exemplars() {
        assertThatThrownBy(() -> service.addSkill("law", "again", FIVE))
                .isInstanceOfSatisfying(TaxonomyException.class,
                        e -> assertThat(e.kind()).isEqualTo(TaxonomyException.Kind.CONFLICT));
        assertThatThrownBy(() -> service.addSkill("Bad Id", "x", FIVE))
                .isInstanceOfSatisfying(TaxonomyException.class,
                        e -> assertThat(e.getMessage()).contains("'Bad Id'"));
        assertThatThrownBy(() -> service.addSkill("cooking", "x", List.of("a", "a", "b", "c", "d")))
                .isInstanceOfSatisfying(TaxonomyException.class,
                        e -> assertThat(e.getMessage()).contains("at least 5 distinct exemplars, but had 4"));
        assertThat(notified).isEmpty();
        assertThat(service.current().version()).isEqualTo(1);
    }

    @Test
    void should_refuse_a_blank_exemplar_naming_it_instead_of_dropping_it() {
        assertThatThrownBy(() -> service.addExemplars("law", List.of("can my landlord evict me", " ")))
                .isInstanceOfSatisfying(TaxonomyException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TaxonomyException.Kind.INVALID);
                    assertThat(e.field()).isEqualTo("exemplars");
                    assertThat(e.getMessage()).startsWith("exemplars[1] is blank");
                });
        assertThatThrownBy(() -> service.addSkill("cooking", "recipes", List.of("one", "two", "three", "four", "five", "")))
                .isInstanceOfSatisfying(TaxonomyException.class, e -> assertThat(e.field()).isEqualTo("exemplars"));
        assertThat(notified).isEmpty();
        assertThat(service.current().version()).isEqualTo(1);
    }

    @Test
    void should_add_new_exemplars_ignoring_ones_already_there() {
        // when
        SkillTaxonomy changed = service.addExemplars("law", List.of("contract terms", "  can my landlord evict me  "));

        // then
        assertThat(changed.find("law").orElseThrow().exemplars())
                .endsWith("f", "can my landlord evict me")
                .doesNotHaveDuplicates();
    }

    @Test
    void should_remove_an_exemplar_but_keep_the_minimum() {
        // when
        service.addExemplars("law", List.of("g"));
        SkillTaxonomy changed = service.removeExemplar("law", "contract terms");

        // then
        assertThat(changed.find("law").orElseThrow().exemplars()).doesNotContain("contract terms").hasSize(5);
        assertThatThrownBy(() -> service.removeExemplar("law", "d"))
                .hasMessageContaining("at least 5");
        assertThatThrownBy(() -> service.removeExemplar("law", "never there"))
                .isInstanceOfSatisfying(TaxonomyException.class,
                        e -> assertThat(e.kind()).isEqualTo(TaxonomyException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> service.addExemplars("cooking", FIVE))
                .isInstanceOfSatisfying(TaxonomyException.class,
                        e -> assertThat(e.kind()).isEqualTo(TaxonomyException.Kind.NOT_FOUND));
    }

    @Test
    void should_refuse_a_change_when_the_store_moved_on_and_pick_up_the_newer_version() {
        // given: another replica stored version 2 meanwhile
        SkillTaxonomy elsewhere = service.current().with(new Skill("cooking", "recipes", FIVE));
        store.compareAndSet(1, elsewhere);

        // when / then
        assertThatThrownBy(() -> service.addExemplars("law", List.of("new one")))
                .isInstanceOfSatisfying(TaxonomyException.class,
                        e -> assertThat(e.kind()).isEqualTo(TaxonomyException.Kind.CONFLICT));
        assertThat(service.current().version()).isEqualTo(2);
        assertThat(service.contains("cooking")).isTrue();
    }

    @Test
    void should_adopt_a_newer_stored_taxonomy_on_reload_but_never_an_older_one() {
        // given: a shared store that another replica moved to version 5, then lost and refilled with version 2
        SkillTaxonomy[] stored = {new SkillTaxonomy(5, SkillTaxonomy.defaults().skills())};
        TaxonomyStore shared = new TaxonomyStore() {
            @Override
            public java.util.Optional<SkillTaxonomy> load() {
                return java.util.Optional.of(stored[0]);
            }

            @Override
            public boolean compareAndSet(long expectedVersion, SkillTaxonomy next) {
                return false;
            }
        };
        TaxonomyService replica = new TaxonomyService(shared);
        List<SkillTaxonomy> heard = new ArrayList<>();
        replica.onChange(heard::add);

        // when
        stored[0] = new SkillTaxonomy(6, SkillTaxonomy.defaults().skills());
        boolean movedOn = replica.reload();
        stored[0] = new SkillTaxonomy(2, SkillTaxonomy.defaults().skills());
        boolean movedBack = replica.reload();

        // then
        assertThat(movedOn).isTrue();
        assertThat(movedBack).isFalse();
        assertThat(replica.current().version()).isEqualTo(6);
        assertThat(heard).extracting(SkillTaxonomy::version).containsExactly(6L);
    }
}
