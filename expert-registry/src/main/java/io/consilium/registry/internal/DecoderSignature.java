package io.consilium.registry.internal;

import io.consilium.registry.internal.TensorSpec.ElementType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a decoder-only causal LM exported in the Hugging Face / Optimum layout takes and gives:
 * {@code input_ids}, {@code attention_mask}, optionally {@code position_ids} and a key/value cache
 * ({@code past_key_values.N.key|value} in, {@code present.N.key|value} out), and {@code logits}.
 *
 * @param positionIds whether the model takes {@code position_ids}
 * @param useCacheBranch whether the model takes the {@code use_cache_branch} flag of merged exports
 * @param layers cache layers, zero for a model without a key/value cache
 * @param cacheHeads key/value heads of the cache tensors as declared, {@code -1} if symbolic
 * @param cacheHeadDim width of one head in the cache tensors as declared, {@code -1} if symbolic
 * @param vocab width of the logits as declared, {@code -1} if symbolic
 */
record DecoderSignature(boolean positionIds, boolean useCacheBranch, int layers, long cacheHeads, long cacheHeadDim,
        long vocab) {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String POSITION_IDS = "position_ids";
    static final String USE_CACHE_BRANCH = "use_cache_branch";
    static final String LOGITS = "logits";

    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.(key|value)");

    /** Whether the model keeps a key/value cache between steps. */
    boolean hasCache() {
        return layers > 0;
    }

    static String pastKey(int layer) {
        return "past_key_values." + layer + ".key";
    }

    static String pastValue(int layer) {
        return "past_key_values." + layer + ".value";
    }

    static String presentKey(int layer) {
        return "present." + layer + ".key";
    }

    static String presentValue(int layer) {
        return "present." + layer + ".value";
    }

    /**
     * Checks the declared inputs and outputs.
     *
     * @throws MalformedModelException naming what is missing or unsupported
     */
    static DecoderSignature of(List<TensorSpec> inputList, List<TensorSpec> outputList) throws MalformedModelException {
        Map<String, TensorSpec> inputs = byName(inputList);
        Map<String, TensorSpec> outputs = byName(outputList);
        require(inputs, INPUT_IDS, "input", ElementType.INT64);
        require(inputs, ATTENTION_MASK, "input", ElementType.INT64);
        TensorSpec logits = require(outputs, LOGITS, "output", ElementType.FLOAT);
        boolean positionIds = inputs.containsKey(POSITION_IDS);
        if (positionIds) {
            require(inputs, POSITION_IDS, "input", ElementType.INT64);
        }

        TreeMap<Integer, Integer> partsByLayer = new TreeMap<>();
        TensorSpec firstPast = null;
        for (TensorSpec input : inputList) {
            Matcher past = PAST.matcher(input.name());
            if (past.matches()) {
                int layer = Integer.parseInt(past.group(1));
                partsByLayer.merge(layer, 1, Integer::sum);
                if (input.type() != ElementType.FLOAT) {
                    throw new MalformedModelException("input " + input.name() + " is " + input.type()
                            + ", but only float32 key/value caches are supported");
                }
                String present = "present." + layer + "." + past.group(2);
                if (!outputs.containsKey(present)) {
                    throw new MalformedModelException("input " + input.name() + " has no matching output " + present);
                }
                firstPast = firstPast == null ? input : firstPast;
            }
        }
        int layers = partsByLayer.size();
        if (layers > 0 && (partsByLayer.lastKey() != layers - 1 || partsByLayer.containsValue(1))) {
            throw new MalformedModelException("past_key_values inputs must come as key and value for layers 0.."
                    + (layers - 1) + ", but were " + partsByLayer.keySet());
        }
        if (layers == 0 && outputs.keySet().stream().anyMatch(name -> name.startsWith("present."))) {
            throw new MalformedModelException("the model returns present.* outputs but takes no past_key_values inputs");
        }
        return new DecoderSignature(positionIds, inputs.containsKey(USE_CACHE_BRANCH), layers,
                firstPast == null ? -1 : firstPast.dim(1), firstPast == null ? -1 : firstPast.dim(3), logits.dim(2));
    }

    private static TensorSpec require(Map<String, TensorSpec> values, String name, String kind, ElementType type)
            throws MalformedModelException {
        TensorSpec spec = Optional.ofNullable(values.get(name)).orElseThrow(() -> new MalformedModelException(
                "model.onnx has no " + kind + " '" + name + "' (" + kind + "s: " + values.keySet() + ")"));
        if (spec.type() != type) {
            throw new MalformedModelException(kind + " '" + name + "' is " + spec.type() + ", but must be " + type);
        }
        return spec;
    }

    private static Map<String, TensorSpec> byName(List<TensorSpec> specs) {
        return specs.stream().collect(Collectors.toMap(TensorSpec::name, Function.identity(), (a, b) -> a, TreeMap::new));
    }
}
