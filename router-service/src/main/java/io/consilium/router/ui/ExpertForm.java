package io.consilium.router.ui;

import io.consilium.router.experts.ExpertSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The values the expert form starts with: empty for a new expert, the admin API's view of an existing one
 * for an edit. The stored api-key is never put in the form; only whether there is one.
 */
record ExpertForm(String id, String provider, String baseUrl, String model, boolean hasApiKey, List<String> roles,
        List<String> skills, String inputPerMtok, String outputPerMtok, String maxConcurrency, String timeout,
        String contextTokens, String modelPath, String systemPrompt, List<String> modalities, String mockLatency,
        String mockFailureRate, boolean enabled, List<String> domains, List<String> apis) {

    static ExpertForm blank() {
        return new ExpertForm("", "openai", "", "", false, List.of("expert"), List.of(), "", "", "", "", "", "", "",
                List.of("text"), "", "", true, List.of(), List.of("chat_completions"));
    }

    static ExpertForm of(ExpertSpec spec) {
        ExpertSpec.CostSpec cost = spec.cost();
        ExpertSpec.LimitsSpec limits = spec.limits();
        ExpertSpec.MockSpec mock = spec.mock();
        return new ExpertForm(text(spec.id()), text(spec.provider()), text(spec.baseUrl()), text(spec.model()),
                spec.apiKey() != null, list(spec.roles()), list(spec.skills()),
                cost == null ? "" : number(cost.inputPerMtok()), cost == null ? "" : number(cost.outputPerMtok()),
                limits == null ? "" : number(limits.maxConcurrency()), limits == null ? "" : text(limits.timeout()),
                limits == null ? "" : number(limits.contextTokens()), text(spec.modelPath()), text(spec.systemPrompt()),
                list(spec.modalities()), mock == null ? "" : text(mock.latency()),
                mock == null ? "" : number(mock.failureRate()), !Boolean.FALSE.equals(spec.enabled()),
                list(spec.domains()), list(spec.apis()));
    }

    private static String text(@Nullable String value) {
        return value == null ? "" : value;
    }

    private static String number(@Nullable Number value) {
        if (value == null) {
            return "";
        }
        double d = value.doubleValue();
        return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static List<String> list(@Nullable List<String> values) {
        return values == null ? List.of() : values;
    }
}
