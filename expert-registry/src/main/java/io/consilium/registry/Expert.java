package io.consilium.registry;

import io.consilium.registry.internal.Ipv4Literal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The definition of one expert: where it lives, what it is good at, what it costs and how hard it may
 * be driven. Instances are immutable and always valid; build them with {@link #builder(String)}.
 *
 * @param id stable identifier, {@code [a-z0-9][a-z0-9._-]{0,63}}
 * @param provider how the expert is called
 * @param baseUrl the endpoint of a remote expert, e.g. {@code http://vllm:8000/v1}
 * @param model the model name sent upstream in place of the client's
 * @param apiKey provider credential, never shown
 * @param roles what the expert may be used for
 * @param skills declared strengths (taxonomy ids), the prior before profiling
 * @param cost prices per million tokens
 * @param limits concurrency, timeout and context window
 * @param modelPath folder of a local ONNX model
 * @param systemPrompt prepended to every conversation, making a prompt-specialised expert
 * @param modalities inputs the expert accepts
 * @param mock behaviour of a mock expert
 * @param enabled whether the expert takes traffic
 * @param domains for an embedding expert, the skills (taxonomy ids) of the texts it embeds best; routing by
 *     domain sends a request to the expert whose domains cover its inputs' skills best, and an embedding expert
 *     without domains is the generalist
 * @param apis the OpenAI APIs the expert's endpoint serves: always Chat Completions, and the Responses API for an
 *     OpenAI-compatible endpoint that declares it
 */
public record Expert(
        String id,
        Provider provider,
        @Nullable URI baseUrl,
        @Nullable String model,
        @Nullable Secret apiKey,
        Set<Role> roles,
        List<String> skills,
        Cost cost,
        Limits limits,
        @Nullable String modelPath,
        @Nullable String systemPrompt,
        Set<Modality> modalities,
        MockBehaviour mock,
        boolean enabled,
        List<String> domains,
        Set<ExpertApi> apis) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern SKILL_ID = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*");
    private static final int MAX_SYSTEM_PROMPT = 32_768;

    public Expert {
        roles = Set.copyOf(roles);
        skills = List.copyOf(skills);
        modalities = Set.copyOf(modalities);
        domains = List.copyOf(domains);
        apis = Set.copyOf(apis);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder holding this expert's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder builder = new Builder(id)
                .provider(provider)
                .baseUrl(baseUrl)
                .model(model)
                .apiKey(apiKey)
                .roles(roles)
                .skills(skills)
                .cost(cost)
                .limits(limits)
                .modelPath(modelPath)
                .systemPrompt(systemPrompt)
                .modalities(modalities)
                .mock(mock)
                .enabled(enabled)
                .domains(domains)
                .apis(apis);
        return builder;
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    /** Whether the expert turns text into vectors rather than answering chats. */
    public boolean servesEmbeddings() {
        return roles.contains(Role.EMBEDDING);
    }

    /** Whether the expert's endpoint serves the API. */
    public boolean serves(ExpertApi api) {
        return apis.contains(api);
    }

    public boolean accepts(Modality modality) {
        return modalities.contains(modality);
    }

    public Optional<Secret> apiKeyIfSet() {
        return Optional.ofNullable(apiKey);
    }

    @Override
    public String toString() {
        return "Expert[id=" + id + ", provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model
                + ", enabled=" + enabled + "]";
    }

    /** Collects and validates the fields of an {@link Expert}; every error names field and value. */
    public static final class Builder {

        private final String id;
        private @Nullable Provider provider;
        private @Nullable URI baseUrl;
        private @Nullable String model;
        private @Nullable Secret apiKey;
        private Set<Role> roles = EnumSet.of(Role.EXPERT);
        private List<String> skills = List.of();
        private Cost cost = Cost.FREE;
        private Limits limits = Limits.DEFAULTS;
        private @Nullable String modelPath;
        private @Nullable String systemPrompt;
        private Set<Modality> modalities = EnumSet.of(Modality.TEXT);
        private MockBehaviour mock = MockBehaviour.DEFAULTS;
        private boolean enabled = true;
        private List<String> domains = List.of();
        private Set<ExpertApi> apis = EnumSet.of(ExpertApi.CHAT_COMPLETIONS);

        private Builder(String id) {
            this.id = id;
        }

        public Builder provider(@Nullable Provider provider) {
            this.provider = provider;
            return this;
        }

        /** Sets the provider by its configuration name; unknown names are rejected. */
        public Builder provider(String providerId) {
            this.provider = Provider.fromId(providerId)
                    .orElseThrow(() -> new InvalidExpertException(
                            "provider", providerId, "must be one of " + List.of(Provider.values())));
            return this;
        }

        public Builder baseUrl(@Nullable URI baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** Sets the base URL from text; it must be an absolute http or https URL. */
        public Builder baseUrl(@Nullable String baseUrl) {
            if (baseUrl == null || baseUrl.isBlank()) {
                this.baseUrl = null;
                return this;
            }
            try {
                this.baseUrl = new URI(baseUrl.trim());
            } catch (java.net.URISyntaxException e) {
                throw new InvalidExpertException("base-url", baseUrl, "must be a valid URL");
            }
            return this;
        }

        public Builder model(@Nullable String model) {
            this.model = blankToNull(model);
            return this;
        }

        public Builder apiKey(@Nullable Secret apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder apiKey(@Nullable String apiKey) {
            this.apiKey = apiKey == null || apiKey.isBlank() ? null : Secret.of(apiKey);
            return this;
        }

        public Builder roles(Collection<Role> roles) {
            this.roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
            return this;
        }

        /** Sets roles by name; unknown names are rejected. */
        public Builder roleIds(Collection<String> roleIds) {
            List<Role> parsed = new ArrayList<>();
            for (String roleId : roleIds) {
                parsed.add(Role.fromId(roleId).orElseThrow(() -> new InvalidExpertException(
                        "roles", roleId, "must contain only " + List.of(Role.values()))));
            }
            return roles(parsed);
        }

        public Builder skills(Collection<String> skills) {
            this.skills = List.copyOf(skills);
            return this;
        }

        public Builder cost(Cost cost) {
            this.cost = cost;
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        public Builder modelPath(@Nullable String modelPath) {
            this.modelPath = blankToNull(modelPath);
            return this;
        }

        public Builder systemPrompt(@Nullable String systemPrompt) {
            this.systemPrompt = blankToNull(systemPrompt);
            return this;
        }

        public Builder modalities(Collection<Modality> modalities) {
            this.modalities = modalities.isEmpty() ? EnumSet.noneOf(Modality.class) : EnumSet.copyOf(modalities);
            return this;
        }

        /** Sets modalities by name; unknown names are rejected. */
        public Builder modalityIds(Collection<String> modalityIds) {
            List<Modality> parsed = new ArrayList<>();
            for (String modalityId : modalityIds) {
                parsed.add(Modality.fromId(modalityId).orElseThrow(() -> new InvalidExpertException(
                        "modalities", modalityId, "must contain only " + List.of(Modality.values()))));
            }
            return modalities(parsed);
        }

        public Builder mock(MockBehaviour mock) {
            this.mock = mock;
            return this;
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** The skills an embedding expert embeds best; only embedding experts may have them. */
        public Builder domains(Collection<String> domains) {
            this.domains = List.copyOf(domains);
            return this;
        }

        public Builder apis(Collection<ExpertApi> apis) {
            this.apis = apis.isEmpty() ? EnumSet.noneOf(ExpertApi.class) : EnumSet.copyOf(apis);
            return this;
        }

        /** Sets the APIs by name; unknown names are rejected. */
        public Builder apiIds(Collection<String> apiIds) {
            List<ExpertApi> parsed = new ArrayList<>();
            for (String apiId : apiIds) {
                parsed.add(ExpertApi.fromId(apiId).orElseThrow(() -> new InvalidExpertException(
                        "apis", apiId, "must contain only " + List.of(ExpertApi.values()))));
            }
            return apis(parsed);
        }

        /** Validates every field and returns the expert; throws {@link InvalidExpertException}. */
        public Expert build() {
            if (!ID.matcher(id).matches()) {
                throw new InvalidExpertException("id", id, "must match " + ID.pattern());
            }
            if (provider == null) {
                throw new InvalidExpertException("provider", null, "must be one of " + List.of(Provider.values()));
            }
            if (provider.isRemote()) {
                requireHttpUrl();
                if (model == null) {
                    throw new InvalidExpertException("model", null, "is required for provider " + provider);
                }
            }
            if (provider == Provider.ONNX && modelPath == null) {
                throw new InvalidExpertException("model-path", null, "is required for provider onnx");
            }
            if (roles.isEmpty()) {
                throw new InvalidExpertException("roles", "[]", "must name at least one role");
            }
            if (modalities.isEmpty() || !modalities.contains(Modality.TEXT)) {
                throw new InvalidExpertException("modalities", modalities, "must include text");
            }
            checkEmbeddingRole();
            checkApis();
            List<String> distinctSkills = skillIds("skills", skills);
            List<String> distinctDomains = skillIds("domains", domains);
            if (!distinctDomains.isEmpty() && !roles.contains(Role.EMBEDDING)) {
                throw new InvalidExpertException("domains", distinctDomains, "are only for experts with the role embedding;"
                        + " chat experts declare their strengths as skills");
            }
            if (systemPrompt != null && systemPrompt.length() > MAX_SYSTEM_PROMPT) {
                throw new InvalidExpertException(
                        "system-prompt", systemPrompt.length() + " characters", "must be at most " + MAX_SYSTEM_PROMPT);
            }
            return new Expert(id, provider, baseUrl, model, apiKey, roles, distinctSkills, cost, limits,
                    modelPath, systemPrompt, modalities, mock, enabled, distinctDomains, apis);
        }

        /**
         * An embedding model answers no chats and a chat model makes no embeddings, and an expert names one model:
         * so the embedding role stands alone, on a provider that serves embeddings; a built-in model serves nothing
         * else.
         */
        private void checkEmbeddingRole() {
            Provider chosen = java.util.Objects.requireNonNull(provider);
            if (roles.contains(Role.EMBEDDING)) {
                if (roles.size() > 1) {
                    throw new InvalidExpertException("roles", roles, "must not combine embedding with other roles:"
                            + " an expert names one model, and an embedding model answers no chats");
                }
                if (!chosen.servesEmbeddings()) {
                    throw new InvalidExpertException("roles", roles, "may hold embedding only for the providers openai,"
                            + " ollama and builtin, not " + chosen);
                }
            } else if (chosen == Provider.BUILTIN) {
                throw new InvalidExpertException("roles", roles, "must be [embedding] for provider builtin:"
                        + " the built-in models make embeddings only");
            }
            if (chosen == Provider.BUILTIN && model == null) {
                throw new InvalidExpertException("model", null, "is required for provider builtin");
            }
        }

        /**
         * Chat Completions is what every chat expert is called with (chat, fusion, the Messages API, profiling), so
         * it is always there; the Responses API only on an OpenAI-compatible endpoint, whose client can forward it.
         */
        private void checkApis() {
            if (!apis.contains(ExpertApi.CHAT_COMPLETIONS)) {
                throw new InvalidExpertException("apis", apis, "must include chat_completions: chat, fusion, the"
                        + " Messages API and profiling call every expert through it");
            }
            if (!apis.contains(ExpertApi.RESPONSES)) {
                return;
            }
            Provider chosen = java.util.Objects.requireNonNull(provider);
            if (chosen != Provider.OPENAI && chosen != Provider.OLLAMA) {
                throw new InvalidExpertException("apis", apis, "may hold responses only for the OpenAI-compatible"
                        + " providers openai and ollama, not " + chosen);
            }
            if (roles.contains(Role.EMBEDDING)) {
                throw new InvalidExpertException("apis", apis, "may hold responses only for chat experts, not for an"
                        + " embedding expert");
            }
        }

        private static List<String> skillIds(String field, List<String> ids) {
            LinkedHashSet<String> distinct = new LinkedHashSet<>();
            for (String skill : ids) {
                String normalised = skill.trim().toLowerCase(Locale.ROOT);
                if (!SKILL_ID.matcher(normalised).matches()) {
                    throw new InvalidExpertException(field, skill, "must contain skill ids such as math.algebra");
                }
                distinct.add(normalised);
            }
            return List.copyOf(distinct);
        }

        private void requireHttpUrl() {
            if (baseUrl == null) {
                throw new InvalidExpertException("base-url", null, "is required for provider " + provider);
            }
            String scheme = baseUrl.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                throw new InvalidExpertException("base-url", baseUrl.toString(), "must use http or https");
            }
            String host = baseUrl.getHost() != null ? baseUrl.getHost() : hostOf(baseUrl.getRawAuthority());
            if (host == null || host.isBlank()) {
                throw new InvalidExpertException("base-url", baseUrl.toString(), "must name a host");
            }
            Optional<String> numeric = Ipv4Literal.read(host).problem();
            if (numeric.isPresent()) {
                throw new InvalidExpertException("base-url", baseUrl.toString(), "is refused: " + numeric.get());
            }
            if (baseUrl.getHost() == null) {
                // java.net.URI found no server-based authority, e.g. a name with an underscore.
                throw new InvalidExpertException("base-url", baseUrl.toString(), "must name a host");
            }
            if (baseUrl.getRawUserInfo() != null) {
                throw new InvalidExpertException("base-url", "(credentials in URL)", "must not carry credentials; use api-key");
            }
            if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
                throw new InvalidExpertException("base-url", baseUrl.toString(), "must not have a query or fragment");
            }
        }

        /**
         * The host of an authority that {@link URI} could not parse as host and port, as other URL readers
         * see it: numeric forms such as {@code 127.1} or {@code 0x7f.0.0.1} end up here.
         */
        private static @Nullable String hostOf(@Nullable String rawAuthority) {
            if (rawAuthority == null) {
                return null;
            }
            String host = rawAuthority.substring(rawAuthority.lastIndexOf('@') + 1);
            int port = host.lastIndexOf(':');
            return port >= 0 && !host.endsWith("]") ? host.substring(0, port) : host;
        }

        private static @Nullable String blankToNull(@Nullable String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
