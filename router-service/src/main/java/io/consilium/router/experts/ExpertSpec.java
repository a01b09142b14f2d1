package io.consilium.router.experts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.consilium.registry.Cost;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertApi;
import io.consilium.registry.InvalidExpertException;
import io.consilium.registry.Limits;
import io.consilium.registry.Modality;
import io.consilium.registry.MockBehaviour;
import io.consilium.registry.Provider;
import io.consilium.registry.Role;
import io.consilium.registry.Secret;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * An expert as written by people: in the service's YAML configuration (kebab-case), in an experts
 * file, or as an admin API body (snake_case). Every field is optional here; {@link #toExpert()}
 * applies defaults and validation, and {@link #of(Expert)} shows an expert with its key masked.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ExpertSpec(
        @Nullable String id,
        @Nullable String provider,
        @Nullable String baseUrl,
        @Nullable String model,
        @Nullable String apiKey,
        @Nullable List<String> roles,
        @Nullable List<String> skills,
        @Nullable CostSpec cost,
        @Nullable LimitsSpec limits,
        @Nullable String modelPath,
        @Nullable String systemPrompt,
        @Nullable List<String> modalities,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable MockSpec mock,
        @Nullable Boolean enabled,
        @Nullable List<String> domains,
        @Nullable List<String> apis) {

    /** Prices per million tokens. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CostSpec(@Nullable Double inputPerMtok, @Nullable Double outputPerMtok) {}

    /**
     * Limits; {@code timeout} takes Spring durations such as {@code 60s} or {@code 500ms}; without
     * {@code context_tokens} no request is refused for its size.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LimitsSpec(@Nullable Integer maxConcurrency, @Nullable String timeout, @Nullable Integer contextTokens) {}

    /** Behaviour of a mock expert. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MockSpec(@Nullable String latency, @Nullable Double failureRate) {}

    /** Validates and builds the expert; throws {@link InvalidExpertException} naming the bad field. */
    public Expert toExpert() {
        if (id == null || id.isBlank()) {
            throw new InvalidExpertException("id", id, "is required");
        }
        if (provider == null) {
            throw new InvalidExpertException("provider", null, "is required");
        }
        Expert.Builder builder = Expert.builder(id.trim())
                .provider(provider)
                .baseUrl(baseUrl)
                .model(model)
                .apiKey(apiKey)
                .modelPath(modelPath)
                .systemPrompt(systemPrompt);
        if (roles != null) {
            builder.roleIds(roles);
        }
        if (skills != null) {
            builder.skills(skills);
        }
        if (modalities != null) {
            builder.modalityIds(modalities);
        }
        if (cost != null) {
            builder.cost(new Cost(orZero(cost.inputPerMtok()), orZero(cost.outputPerMtok())));
        }
        if (limits != null) {
            Limits defaults = Limits.DEFAULTS;
            builder.limits(new Limits(
                    limits.maxConcurrency() != null ? limits.maxConcurrency() : defaults.maxConcurrency(),
                    limits.timeout() != null ? duration("limits.timeout", limits.timeout()) : defaults.timeout(),
                    limits.contextTokens() != null ? limits.contextTokens() : defaults.contextTokens()));
        }
        if (mock != null) {
            MockBehaviour defaults = MockBehaviour.DEFAULTS;
            builder.mock(new MockBehaviour(
                    mock.latency() != null ? duration("mock.latency", mock.latency()) : defaults.latency(),
                    mock.failureRate() != null ? mock.failureRate() : defaults.failureRate()));
        }
        if (enabled != null) {
            builder.enabled(enabled);
        }
        if (domains != null) {
            builder.domains(domains);
        }
        if (apis != null) {
            builder.apiIds(apis);
        }
        return builder.build();
    }

    /** The expert as the API shows it: every field filled in, the key masked. */
    public static ExpertSpec of(Expert expert) {
        return new ExpertSpec(
                expert.id(),
                expert.provider().id(),
                expert.baseUrl() == null ? null : expert.baseUrl().toString(),
                expert.model(),
                expert.apiKey() == null ? null : Secret.MASK,
                expert.roles().stream().sorted().map(Role::id).toList(),
                expert.skills(),
                new CostSpec(expert.cost().inputPerMtok(), expert.cost().outputPerMtok()),
                new LimitsSpec(expert.limits().maxConcurrency(), format(expert.limits().timeout()),
                        expert.limits().contextTokens() == Limits.NO_CONTEXT_LIMIT ? null : expert.limits().contextTokens()),
                expert.modelPath(),
                expert.systemPrompt(),
                expert.modalities().stream().sorted().map(Modality::id).toList(),
                // Only a mock expert behaves as told: for the others the block would be noise.
                expert.provider() == Provider.MOCK
                        ? new MockSpec(format(expert.mock().latency()), expert.mock().failureRate()) : null,
                expert.enabled(),
                expert.domains(),
                expert.apis().stream().sorted().map(ExpertApi::id).toList());
    }

    private static Duration duration(String field, String text) {
        try {
            return DurationStyle.detectAndParse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidExpertException(field, text, "must be a duration such as 500ms or 60s");
        }
    }

    private static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static double orZero(@Nullable Double value) {
        return value == null ? 0 : value;
    }
}
