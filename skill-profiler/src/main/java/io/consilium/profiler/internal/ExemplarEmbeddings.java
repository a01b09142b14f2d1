package io.consilium.profiler.internal;

import io.consilium.profiler.ClassifierException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Exemplar embeddings stored with the service, so that start-up does not embed every default exemplar
 * for the nearest-exemplar vote (over a thousand encoder runs, many seconds of CPU). Keyed by exemplar
 * text and tagged with the encoder's {@link io.consilium.profiler.SentenceEncoder#id() id}: an encoder
 * with other settings ignores them, and exemplars that are not in the file are embedded as usual.
 * Values are stored as half-precision floats, which moves a cosine similarity by less than 0.001.
 */
public final class ExemplarEmbeddings {

    /** Classpath location of the embeddings of the default exemplars. */
    public static final String DEFAULT_RESOURCE = "/io/consilium/profiler/default-exemplar-embeddings.bin";

    private static final int FORMAT = 1;

    private ExemplarEmbeddings() {}

    public static void write(String encoderId, Map<String, float[]> embeddings, OutputStream out) throws IOException {
        try (DataOutputStream data = new DataOutputStream(new GZIPOutputStream(out))) {
            data.writeInt(FORMAT);
            data.writeUTF(encoderId);
            data.writeInt(embeddings.size());
            for (Map.Entry<String, float[]> entry : embeddings.entrySet()) {
                byte[] text = entry.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                data.writeInt(text.length);
                data.write(text);
                data.writeShort(entry.getValue().length);
                for (float value : entry.getValue()) {
                    data.writeShort(Float.floatToFloat16(value));
                }
            }
        }
    }

    /** The embeddings in the stream when they were made by the encoder with this id, otherwise none. */
    public static Map<String, float[]> read(InputStream in, String encoderId) {
        try (DataInputStream data = new DataInputStream(new GZIPInputStream(in))) {
            int format = data.readInt();
            if (format != FORMAT) {
                throw new ClassifierException("exemplar embeddings of format " + format + ", expected " + FORMAT);
            }
            if (!data.readUTF().equals(encoderId)) {
                return Map.of();
            }
            int count = data.readInt();
            Map<String, float[]> embeddings = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                byte[] text = data.readNBytes(data.readInt());
                float[] values = new float[data.readShort()];
                for (int d = 0; d < values.length; d++) {
                    values[d] = Float.float16ToFloat(data.readShort());
                }
                embeddings.put(new String(text, java.nio.charset.StandardCharsets.UTF_8), values);
            }
            return embeddings;
        } catch (EOFException e) {
            throw new ClassifierException("truncated exemplar embeddings", e);
        } catch (IOException e) {
            throw new ClassifierException("cannot read exemplar embeddings: " + e.getMessage(), e);
        }
    }

    /** The embeddings shipped with the service for this encoder; empty when there are none or it differs. */
    public static Map<String, float[]> readDefault(String encoderId) {
        try (InputStream in = ExemplarEmbeddings.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return in == null ? Map.of() : read(in, encoderId);
        } catch (IOException e) {
            throw new ClassifierException("cannot read " + DEFAULT_RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
