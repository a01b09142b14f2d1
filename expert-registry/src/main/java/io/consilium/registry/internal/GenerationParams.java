package io.consilium.registry.internal;

import io.consilium.registry.internal.ModelConfig.GenerationDefaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How one request wants its answer generated, read from the OpenAI request fields and completed by the
 * model's generation defaults.
 *
 * @param maxNewTokens completion tokens at most (before the context window is taken into account)
 * @param temperature zero for greedy decoding
 * @param topP nucleus mass kept, 1 for all
 * @param topK most likely tokens kept, 0 for all
 * @param seed seeds sampling; null draws a random seed
 * @param stop text that ends the answer, cut off
 */
record GenerationParams(int maxNewTokens, double temperature, double topP, int topK, @Nullable Long seed,
        List<String> stop) {

    private static final int MAX_STOP_SEQUENCES = 16;

    GenerationParams {
        stop = List.copyOf(stop);
    }

    /** A fresh sampler for one sequence. */
    TokenSampler sampler() {
        if (temperature == 0) {
            return TokenSampler.greedy();
        }
        return TokenSampler.sampled(temperature, topP, topK,
                seed != null ? seed : ThreadLocalRandom.current().nextLong());
    }

    /**
     * Reads {@code max_completion_tokens} (or {@code max_tokens}), {@code temperature}, {@code top_p},
     * {@code top_k}, {@code seed}, {@code stop} and {@code n}. Without a temperature the model's
     * {@code generation_config.json} decides between greedy decoding and sampling.
     *
     * @throws IllegalArgumentException naming a field the request got wrong
     */
    static GenerationParams from(ObjectNode body, GenerationDefaults defaults, int defaultMaxTokens) {
        JsonNode n = body.path("n");
        if (!n.isMissingNode() && !n.isNull() && !(n.isIntegralNumber() && n.asInt() == 1)) {
            throw new IllegalArgumentException("n must be 1 for a local model, but was " + n);
        }
        int maxTokens = positiveInt(body, "max_completion_tokens")
                .or(() -> positiveInt(body, "max_tokens"))
                .orElse(defaults.maxNewTokens() != null && defaults.maxNewTokens() > 0
                        ? defaults.maxNewTokens() : defaultMaxTokens);

        JsonNode temperatureField = body.path("temperature");
        boolean sample;
        double temperature;
        if (temperatureField.isNumber()) {
            temperature = temperatureField.asDouble();
            if (!(temperature >= 0 && temperature <= 2)) {
                throw new IllegalArgumentException("temperature must be between 0 and 2, but was " + temperature);
            }
            sample = temperature > 0;
        } else if (temperatureField.isMissingNode() || temperatureField.isNull()) {
            sample = defaults.doSample();
            temperature = sample ? positiveOr(defaults.temperature(), 1.0) : 0;
            sample = temperature > 0;
        } else {
            throw new IllegalArgumentException("temperature must be a number, but was " + temperatureField);
        }

        double topP = number(body, "top_p", defaults.topP() != null ? defaults.topP() : 1.0);
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be above 0 and at most 1, but was " + topP);
        }
        double topKValue = number(body, "top_k", defaults.topK() != null ? defaults.topK() : 0);
        if (topKValue < 0 || topKValue != Math.rint(topKValue) || topKValue > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("top_k must be a whole number, at least 0, but was " + body.path("top_k"));
        }
        JsonNode seedField = body.path("seed");
        Long seed = null;
        if (seedField.isIntegralNumber()) {
            seed = seedField.asLong();
        } else if (!seedField.isMissingNode() && !seedField.isNull()) {
            throw new IllegalArgumentException("seed must be an integer, but was " + seedField);
        }
        return new GenerationParams(maxTokens, sample ? temperature : 0, topP, (int) topKValue, seed, stops(body));
    }

    private static List<String> stops(ObjectNode body) {
        JsonNode stop = body.path("stop");
        List<String> stops = new ArrayList<>();
        if (stop.isString()) {
            stops.add(stop.asString());
        } else if (stop.isArray()) {
            for (JsonNode each : stop) {
                if (!each.isString()) {
                    throw new IllegalArgumentException("stop must hold only strings, but held " + each);
                }
                stops.add(each.asString());
            }
        } else if (!stop.isMissingNode() && !stop.isNull()) {
            throw new IllegalArgumentException("stop must be a string or a list of strings, but was " + stop);
        }
        stops.removeIf(String::isEmpty);
        if (stops.size() > MAX_STOP_SEQUENCES) {
            throw new IllegalArgumentException(
                    "stop takes at most " + MAX_STOP_SEQUENCES + " sequences, but had " + stops.size());
        }
        return stops;
    }

    private static Optional<Integer> positiveInt(ObjectNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " must be a positive integer, but was " + value);
        }
        return Optional.of(value.asInt());
    }

    private static double number(ObjectNode body, String field, double fallback) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number, but was " + value);
        }
        return value.asDouble();
    }

    private static double positiveOr(@Nullable Double value, double fallback) {
        return value != null && value > 0 ? value : fallback;
    }
}
