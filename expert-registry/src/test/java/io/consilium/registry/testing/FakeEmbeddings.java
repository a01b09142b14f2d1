package io.consilium.registry.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The embeddings model of {@link FakeOpenAiUpstream.Reply#embeddings()}. */
final class FakeEmbeddings {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FakeEmbeddings() {}

    static void answer(HttpExchange exchange, JsonNode request, FakeOpenAiUpstream upstream) throws IOException {
        JsonNode input = request.path("input");
        List<String> seeds = new ArrayList<>();
        long tokens = 0;
        if (input.isString() && !input.asString().isEmpty()) {
            seeds.add(input.asString());
            tokens += words(input.asString());
        } else if (input.isArray() && !input.isEmpty() && input.get(0).isIntegralNumber()) {
            seeds.add(input.toString());
            tokens += input.size();
        } else if (input.isArray() && !input.isEmpty()) {
            for (JsonNode item : input) {
                if (item.isString() && !item.asString().isEmpty()) {
                    seeds.add(item.asString());
                    tokens += words(item.asString());
                } else if (item.isArray() && !item.isEmpty()) {
                    seeds.add(item.toString());
                    tokens += item.size();
                } else {
                    refuse(exchange, request, upstream, "input", "'$.input' is invalid.");
                    return;
                }
            }
        } else {
            refuse(exchange, request, upstream, "input", "'$.input' is invalid.");
            return;
        }
        String format = request.path("encoding_format").asString("float");
        if (!format.equals("float") && !format.equals("base64")) {
            refuse(exchange, request, upstream, "encoding_format", "'encoding_format' must be float or base64.");
            return;
        }
        int dimensions = FakeOpenAiUpstream.Reply.EMBEDDING_DIMENSIONS;
        JsonNode asked = request.path("dimensions");
        if (!asked.isMissingNode() && !asked.isNull()) {
            if (!asked.isIntegralNumber() || asked.asInt() < 1 || asked.asInt() > dimensions) {
                refuse(exchange, request, upstream, "dimensions", "'dimensions' must be between 1 and " + dimensions + ".");
                return;
            }
            dimensions = asked.asInt();
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("object", "list");
        ArrayNode data = answer.putArray("data");
        for (int i = 0; i < seeds.size(); i++) {
            float[] vector = vector(seeds.get(i), dimensions);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (format.equals("base64")) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(vector);
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
        }
        answer.put("model", request.path("model").asString("unknown"));
        answer.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        FakeOpenAiUpstream.Reply.json(200, answer.toString()).send(exchange, request, upstream);
    }

    /** A unit vector drawn from a seed of the input: the full-size vector, cut to size, then unit length. */
    static float[] vector(String seed, int dimensions) {
        SplittableRandom random = new SplittableRandom(seed.hashCode());
        float[] full = new float[FakeOpenAiUpstream.Reply.EMBEDDING_DIMENSIONS];
        for (int i = 0; i < full.length; i++) {
            full[i] = (float) (random.nextDouble() * 2 - 1);
        }
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            norm += full[i] * full[i];
        }
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (full[i] / Math.sqrt(norm));
        }
        return vector;
    }

    private static long words(String text) {
        return Math.max(1, text.trim().split("\\s+").length);
    }

    private static void refuse(HttpExchange exchange, JsonNode request, FakeOpenAiUpstream upstream, String param,
            String message) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", message).put("type", "invalid_request_error").put("param", param)
                .putNull("code");
        FakeOpenAiUpstream.Reply.json(400, error.toString()).send(exchange, request, upstream);
    }
}
