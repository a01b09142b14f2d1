package io.consilium.registry.internal;

import io.consilium.registry.Embeddings;
import io.consilium.registry.ExpertProtocolException;
import io.consilium.registry.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads an OpenAI embeddings answer: {@code data} items with an {@code index} and an {@code embedding} that is a
 * list of numbers or, for {@code encoding_format: base64}, little-endian float32 in base64. Anything else, or a
 * count of vectors other than the inputs', is a protocol failure of the expert.
 */
final class UpstreamEmbeddings {

    private UpstreamEmbeddings() {}

    static Embeddings read(String expertId, JsonNode answer, int inputs) {
        JsonNode data = answer.path("data");
        if (!answer.isObject() || !data.isArray()) {
            throw new ExpertProtocolException(expertId, "answer is not an embeddings list", null);
        }
        if (data.size() != inputs) {
            throw new ExpertProtocolException(expertId, "answer holds " + data.size() + " embeddings for " + inputs
                    + " inputs", null);
        }
        float[][] vectors = new float[inputs][];
        for (JsonNode item : data) {
            JsonNode index = item.path("index");
            if (!index.isIntegralNumber() || index.asInt() < 0 || index.asInt() >= inputs
                    || vectors[index.asInt()] != null) {
                throw new ExpertProtocolException(expertId, "answer has an embedding with a missing, repeated or"
                        + " out-of-range index", null);
            }
            vectors[index.asInt()] = vector(expertId, item.path("embedding"));
        }
        int size = vectors[0].length;
        if (Arrays.stream(vectors).anyMatch(vector -> vector.length != size || size == 0)) {
            throw new ExpertProtocolException(expertId, "answer has empty embeddings or embeddings of different sizes", null);
        }
        long promptTokens = answer.path("usage").path("prompt_tokens").asLong(0);
        return new Embeddings(List.of(vectors), new Usage(promptTokens, 0));
    }

    private static float[] vector(String expertId, JsonNode embedding) {
        if (embedding.isString()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(embedding.asString());
            } catch (IllegalArgumentException e) {
                throw new ExpertProtocolException(expertId, "answer has an embedding that is not valid base64", e);
            }
            if (bytes.length % Float.BYTES != 0) {
                throw new ExpertProtocolException(expertId, "answer has a base64 embedding that is not float32", null);
            }
            FloatBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[] vector = new float[floats.remaining()];
            floats.get(vector);
            return vector;
        }
        if (!embedding.isArray()) {
            throw new ExpertProtocolException(expertId, "answer has an embedding that is neither numbers nor base64", null);
        }
        float[] vector = new float[embedding.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = embedding.get(i);
            if (!value.isNumber()) {
                throw new ExpertProtocolException(expertId, "answer has an embedding with a value that is not a number", null);
            }
            vector[i] = value.floatValue();
        }
        return vector;
    }
}
