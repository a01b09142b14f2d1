package io.consilium.router.taxonomy;

import io.consilium.profiler.Skill;
import io.consilium.profiler.SkillTaxonomy;
import io.consilium.profiler.TaxonomyStore;
import io.consilium.router.state.RedisAccess;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The changed taxonomy in one Redis hash, {@value #TAXONOMY}, with fields {@code version} and
 * {@code skills} (JSON: id, description, exemplars in order). Compare-and-set is a Lua script, atomic
 * across replicas.
 */
public final class RedisTaxonomyStore implements TaxonomyStore {

    public static final String TAXONOMY = "consilium:taxonomy";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COMPARE_AND_SET = """
            local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
            if stored == tonumber(ARGV[1]) then
              redis.call('HSET', KEYS[1], 'version', ARGV[2], 'skills', ARGV[3])
              return 1
            end
            return 0
            """;

    private final RedisAccess redis;

    RedisTaxonomyStore(StatefulRedisConnection<String, String> connection) {
        this.redis = new RedisAccess(connection);
    }

    @Override
    public Optional<SkillTaxonomy> load() {
        List<KeyValue<String, String>> fields = redis.call("read the taxonomy",
                c -> c.hmget(TAXONOMY, "version", "skills"));
        if (fields.size() < 2 || !fields.get(0).hasValue() || !fields.get(1).hasValue()) {
            return Optional.empty();
        }
        return Optional.of(read(Long.parseLong(fields.get(0).getValue()), fields.get(1).getValue()));
    }

    @Override
    public boolean compareAndSet(long expectedVersion, SkillTaxonomy next) {
        String skills = write(next);
        Long stored = redis.call("store the taxonomy", c -> c.<Long>eval(COMPARE_AND_SET, ScriptOutputType.INTEGER,
                new String[] {TAXONOMY}, Long.toString(expectedVersion), Long.toString(next.version()), skills));
        return stored != null && stored == 1;
    }

    private static String write(SkillTaxonomy taxonomy) {
        ArrayNode skills = JSON.createArrayNode();
        for (Skill skill : taxonomy.skills()) {
            ObjectNode node = skills.addObject();
            node.put("id", skill.id());
            node.put("description", skill.description());
            ArrayNode exemplars = node.putArray("exemplars");
            skill.exemplars().forEach(exemplars::add);
        }
        return JSON.writeValueAsString(skills);
    }

    private static SkillTaxonomy read(long version, String stored) {
        try {
            List<Skill> skills = new ArrayList<>();
            for (JsonNode node : JSON.readTree(stored)) {
                List<String> exemplars = new ArrayList<>();
                node.path("exemplars").forEach(exemplar -> exemplars.add(exemplar.asString()));
                skills.add(new Skill(node.path("id").asString(), node.path("description").asString(), exemplars));
            }
            return new SkillTaxonomy(version, skills);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IllegalStateException("the stored taxonomy (version " + version + ") cannot be read: "
                    + e.getMessage(), e);
        }
    }
}
