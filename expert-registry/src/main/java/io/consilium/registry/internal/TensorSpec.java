package io.consilium.registry.internal;

import java.util.Arrays;

/**
 * One declared input or output of an ONNX graph.
 *
 * @param name the value's name
 * @param type its element type
 * @param dims its dimensions, {@code -1} where the size is symbolic or unknown
 */
record TensorSpec(String name, ElementType type, long[] dims) {

    /** The element types a decoder's inputs and outputs come in; anything else is {@link #OTHER}. */
    enum ElementType {
        FLOAT, FLOAT16, BFLOAT16, INT64, INT32, BOOL, OTHER;

        /** From the {@code TensorProto.DataType} number of onnx.proto. */
        static ElementType ofOnnx(long dataType) {
            return switch ((int) dataType) {
                case 1 -> FLOAT;
                case 10 -> FLOAT16;
                case 16 -> BFLOAT16;
                case 7 -> INT64;
                case 6 -> INT32;
                case 9 -> BOOL;
                default -> OTHER;
            };
        }
    }

    /** The size of a dimension, or {@code -1} when it is symbolic, unknown or absent. */
    long dim(int index) {
        return index < dims.length ? dims[index] : -1;
    }

    @Override
    public String toString() {
        return name + " " + type + Arrays.toString(dims);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorSpec that && name.equals(that.name) && type == that.type
                && Arrays.equals(dims, that.dims);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }
}
