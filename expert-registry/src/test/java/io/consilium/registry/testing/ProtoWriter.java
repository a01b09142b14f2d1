package io.consilium.registry.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.NullMarked;

/**
 * Writes one protobuf message in the wire format, field by field, so tests can build ONNX models
 * without a protobuf library. Only the encodings ONNX needs: varints and length-delimited fields.
 */
@NullMarked
public final class ProtoWriter {

    private static final int ONNX_ATTRIBUTE_INT = 2;

    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An int32, int64 or enum field; negative values take ten bytes, as protobuf requires. */
    public ProtoWriter varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    /** A UTF-8 string field. */
    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytes field. */
    public ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** An embedded message field. */
    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** A packed repeated int64 field. */
    public ProtoWriter packedInt64(int field, long... values) {
        ProtoWriter packed = new ProtoWriter();
        for (long value : values) {
            packed.rawVarint(value);
        }
        return bytes(field, packed.toByteArray());
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        if (field < 1) {
            throw new IllegalArgumentException("field numbers start at 1, but was " + field);
        }
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        long rest = value;
        // seven bits a byte, low bits first; the high bit says another byte follows
        while ((rest & ~0x7FL) != 0) {
            out.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    /** An ONNX ValueInfoProto: a tensor named {@code name}, each dimension a symbolic name (String) or a size (Integer). */
    public static ProtoWriter valueInfo(String name, int elementType, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object dim : dims) {
            ProtoWriter dimension = dim instanceof String param
                    ? new ProtoWriter().string(2, param)
                    : new ProtoWriter().varint(1, ((Integer) dim).longValue());
            shape.message(1, dimension);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, elementType).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    /** An ONNX NodeProto: {@code opType} over the inputs, writing one output (named after it). */
    public static ProtoWriter node(String opType, List<String> inputs, String output, ProtoWriter... attributes) {
        ProtoWriter node = new ProtoWriter();
        inputs.forEach(input -> node.string(1, input));
        node.string(2, output).string(3, opType + "_" + output).string(4, opType);
        for (ProtoWriter attribute : attributes) {
            node.message(5, attribute);
        }
        return node;
    }

    /** An ONNX integer AttributeProto. */
    public static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(1, name).varint(3, value).varint(20, ONNX_ATTRIBUTE_INT);
    }
}
