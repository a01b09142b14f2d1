package io.consilium.profiler.internal;

import io.consilium.profiler.ClassifierException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads and writes a {@link SoftmaxHead} as JSON, the format of the head shipped with the service. */
public final class SoftmaxHeadCodec {

    /** Classpath location of the head trained on the default taxonomy. */
    public static final String DEFAULT_HEAD_RESOURCE = "/io/consilium/profiler/default-head.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SoftmaxHeadCodec() {}

    public static void write(SoftmaxHead head, OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        root.put("fingerprint", head.fingerprint());
        root.put("temperature", head.temperature());
        ArrayNode labels = root.putArray("labels");
        head.labels().forEach(labels::add);
        ArrayNode bias = root.putArray("bias");
        for (float b : head.bias()) {
            bias.add(b);
        }
        ArrayNode weights = root.putArray("weights");
        for (float[] row : head.weights()) {
            ArrayNode values = weights.addArray();
            for (float w : row) {
                values.add(w);
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(out, root);
    }

    public static SoftmaxHead read(InputStream in) {
        try {
            JsonNode root = JSON.readTree(in);
            List<String> labels = new ArrayList<>();
            root.path("labels").forEach(label -> labels.add(label.asString()));
            float[] bias = floats(root.path("bias"));
            JsonNode rows = root.path("weights");
            float[][] weights = new float[rows.size()][];
            for (int k = 0; k < rows.size(); k++) {
                weights[k] = floats(rows.get(k));
            }
            return new SoftmaxHead(labels, weights, bias, root.path("temperature").asDouble(),
                    root.path("fingerprint").asString(""));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new ClassifierException("malformed classifier head: " + e.getMessage(), e);
        }
    }

    /** The head shipped with the service, if the build has one. */
    public static Optional<SoftmaxHead> readDefault() {
        try (InputStream in = SoftmaxHeadCodec.class.getResourceAsStream(DEFAULT_HEAD_RESOURCE)) {
            return in == null ? Optional.empty() : Optional.of(read(in));
        } catch (IOException e) {
            throw new ClassifierException("cannot read " + DEFAULT_HEAD_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }
}
