package io.consilium.router.embeddings;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** How the vectors of an answer are written: numbers, or little-endian float32 in base64, as OpenAI writes them. */
enum EncodingFormat {
    FLOAT("float"),
    BASE64("base64");

    private final String id;

    EncodingFormat(String id) {
        this.id = id;
    }

    static @Nullable EncodingFormat of(String id) {
        for (EncodingFormat format : values()) {
            if (format.id.equals(id)) {
                return format;
            }
        }
        return null;
    }

    /** The format the request asks for; {@code float} when it does not say. */
    static EncodingFormat of(ObjectNode request) {
        EncodingFormat format = of(request.path("encoding_format").asString("float"));
        return format == null ? FLOAT : format;
    }

    /** Puts the vector into {@code item} as its {@code embedding}. */
    void write(ObjectNode item, float[] vector) {
        switch (this) {
            case FLOAT -> {
                ArrayNode values = item.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
            case BASE64 -> {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(vector);
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            }
        }
    }
}
