package io.consilium.registry.internal;

import io.consilium.registry.internal.TensorSpec.ElementType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the declared inputs and outputs of an ONNX model straight from its protobuf, jumping over the
 * nodes and weights, so that a registration can check a multi-gigabyte model in milliseconds and
 * without native memory. Knows only the few onnx.proto fields it needs.
 */
final class OnnxGraphReader {

    /** The declared inputs and outputs of a graph, in declaration order. */
    record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {}

    // onnx.proto field numbers
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_ELEM_TYPE = 1;
    private static final int TENSOR_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;
    /** A value info is a name and a shape: anything this large is not one. */
    private static final int MAX_VALUE_INFO_BYTES = 1 << 20;

    private OnnxGraphReader() {}

    /**
     * @throws IOException when the file cannot be read or is not an ONNX model
     */
    static Signature read(Path model) throws IOException {
        try (FileChannel channel = FileChannel.open(model, StandardOpenOption.READ)) {
            Cursor cursor = new Cursor(channel);
            long end = channel.size();
            while (cursor.position() < end) {
                long tag = cursor.varint();
                if (fieldOf(tag) == MODEL_GRAPH && wireTypeOf(tag) == LENGTH_DELIMITED) {
                    long length = cursor.varint();
                    return readGraph(cursor, cursor.position() + length);
                }
                cursor.skip(wireTypeOf(tag));
            }
            throw new IOException("no graph in " + model.getFileName() + " (is it an ONNX model?)");
        }
    }

    private static Signature readGraph(Cursor cursor, long end) throws IOException {
        List<TensorSpec> inputs = new ArrayList<>();
        List<TensorSpec> outputs = new ArrayList<>();
        while (cursor.position() < end) {
            long tag = cursor.varint();
            int field = fieldOf(tag);
            if ((field == GRAPH_INPUT || field == GRAPH_OUTPUT) && wireTypeOf(tag) == LENGTH_DELIMITED) {
                long length = cursor.varint();
                if (length > MAX_VALUE_INFO_BYTES) {
                    throw new IOException("a graph input or output of " + length + " bytes (is it an ONNX model?)");
                }
                TensorSpec spec = valueInfo(ByteBuffer.wrap(cursor.bytes((int) length)));
                (field == GRAPH_INPUT ? inputs : outputs).add(spec);
            } else {
                cursor.skip(wireTypeOf(tag));
            }
        }
        return new Signature(List.copyOf(inputs), List.copyOf(outputs));
    }

    private static TensorSpec valueInfo(ByteBuffer message) throws IOException {
        String name = "";
        ElementType type = ElementType.OTHER;
        List<Long> dims = new ArrayList<>();
        while (message.hasRemaining()) {
            long tag = varint(message);
            if (fieldOf(tag) == VALUE_INFO_NAME && wireTypeOf(tag) == LENGTH_DELIMITED) {
                name = new String(slice(message), StandardCharsets.UTF_8);
            } else if (fieldOf(tag) == VALUE_INFO_TYPE && wireTypeOf(tag) == LENGTH_DELIMITED) {
                ByteBuffer typeProto = ByteBuffer.wrap(slice(message));
                while (typeProto.hasRemaining()) {
                    long typeTag = varint(typeProto);
                    if (fieldOf(typeTag) == TYPE_TENSOR && wireTypeOf(typeTag) == LENGTH_DELIMITED) {
                        ByteBuffer tensor = ByteBuffer.wrap(slice(typeProto));
                        while (tensor.hasRemaining()) {
                            long tensorTag = varint(tensor);
                            if (fieldOf(tensorTag) == TENSOR_ELEM_TYPE && wireTypeOf(tensorTag) == VARINT) {
                                type = ElementType.ofOnnx(varint(tensor));
                            } else if (fieldOf(tensorTag) == TENSOR_SHAPE && wireTypeOf(tensorTag) == LENGTH_DELIMITED) {
                                readDims(ByteBuffer.wrap(slice(tensor)), dims);
                            } else {
                                skip(tensor, wireTypeOf(tensorTag));
                            }
                        }
                    } else {
                        skip(typeProto, wireTypeOf(typeTag));
                    }
                }
            } else {
                skip(message, wireTypeOf(tag));
            }
        }
        return new TensorSpec(name, type, dims.stream().mapToLong(Long::longValue).toArray());
    }

    private static void readDims(ByteBuffer shape, List<Long> dims) throws IOException {
        while (shape.hasRemaining()) {
            long tag = varint(shape);
            if (fieldOf(tag) == SHAPE_DIM && wireTypeOf(tag) == LENGTH_DELIMITED) {
                ByteBuffer dimension = ByteBuffer.wrap(slice(shape));
                long size = -1; // a dim_param (symbolic) or nothing at all
                while (dimension.hasRemaining()) {
                    long dimTag = varint(dimension);
                    if (fieldOf(dimTag) == DIM_VALUE && wireTypeOf(dimTag) == VARINT) {
                        size = varint(dimension);
                    } else {
                        skip(dimension, wireTypeOf(dimTag));
                    }
                }
                dims.add(size);
            } else {
                skip(shape, wireTypeOf(tag));
            }
        }
    }

    private static int fieldOf(long tag) {
        return (int) (tag >>> 3);
    }

    private static int wireTypeOf(long tag) {
        return (int) (tag & 7);
    }

    private static long varint(ByteBuffer in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.hasRemaining()) {
                throw new IOException("truncated protobuf varint");
            }
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed protobuf varint");
    }

    private static byte[] slice(ByteBuffer in) throws IOException {
        long length = varint(in);
        if (length < 0 || length > in.remaining()) {
            throw new IOException("truncated protobuf field");
        }
        byte[] bytes = new byte[(int) length];
        in.get(bytes);
        return bytes;
    }

    private static void skip(ByteBuffer in, int wireType) throws IOException {
        long bytes = switch (wireType) {
            case VARINT -> {
                varint(in);
                yield 0;
            }
            case FIXED64 -> 8;
            case LENGTH_DELIMITED -> varint(in);
            case FIXED32 -> 4;
            default -> throw new IOException("unsupported protobuf wire type " + wireType);
        };
        if (bytes < 0 || bytes > in.remaining()) {
            throw new IOException("truncated protobuf field");
        }
        in.position(in.position() + (int) bytes);
    }

    /** Reads a file through a small window, so skipping a field costs a seek, not a read. */
    private static final class Cursor {

        private static final int WINDOW = 8192;

        private final FileChannel channel;
        private final ByteBuffer window = ByteBuffer.allocate(WINDOW).limit(0);
        private long windowStart;

        Cursor(FileChannel channel) {
            this.channel = channel;
        }

        long position() {
            return windowStart + window.position();
        }

        long varint() throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = nextByte();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IOException("malformed protobuf varint");
        }

        byte[] bytes(int length) throws IOException {
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                bytes[i] = nextByte();
            }
            return bytes;
        }

        void skip(int wireType) throws IOException {
            long bytes = switch (wireType) {
                case VARINT -> {
                    varint();
                    yield 0;
                }
                case FIXED64 -> 8;
                case LENGTH_DELIMITED -> varint();
                case FIXED32 -> 4;
                default -> throw new IOException("unsupported protobuf wire type " + wireType + " (is it an ONNX model?)");
            };
            long target = position() + bytes;
            if (bytes < 0 || target > channel.size()) {
                throw new IOException("truncated protobuf field (is it an ONNX model?)");
            }
            seek(target);
        }

        private void seek(long target) {
            if (target >= windowStart && target <= windowStart + window.limit()) {
                window.position((int) (target - windowStart));
            } else {
                windowStart = target;
                window.limit(0);
            }
        }

        private byte nextByte() throws IOException {
            if (!window.hasRemaining()) {
                long next = position();
                window.clear();
                int read = channel.read(window, next);
                window.flip();
                windowStart = next;
                if (read <= 0) {
                    throw new IOException("unexpected end of file (is it an ONNX model?)");
                }
            }
            return window.get();
        }
    }
}
