package io.github.rnnlab.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a safetensors file, as its (validated) header describes it.
 *
 * @param name  the tensor's name, e.g. {@code weight_ih_l0}
 * @param dtype the element type
 * @param shape the dimensions, row-major; {@code []} for a scalar (the accessor returns a copy)
 * @param begin the offset of the first byte, relative to the start of the data block
 * @param end   the offset one past the last byte; {@code end - begin == dtype.byteSize() × elementCount()}
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Dimension {@code i}. */
    public long dim(int i) {
        return shape[i];
    }

    /** The product of the dimensions (1 for a scalar). The header validation guarantees it does not overflow. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** {@code end - begin}. */
    public long byteLength() {
        return end - begin;
    }

    /**
     * The shape as {@code int}s, as the rest of rnnlab holds shapes.
     *
     * @throws SafetensorsException ({@link SafetensorsException.Problem#TOO_LARGE}) if a dimension exceeds
     *                              {@link Integer#MAX_VALUE}
     */
    public int[] intShape() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) {
                throw SafetensorsException.of(SafetensorsException.Problem.TOO_LARGE, name,
                        "dimension " + i + " of shape " + Arrays.toString(shape) + " exceeds " + Integer.MAX_VALUE);
            }
            s[i] = (int) shape[i];
        }
        return s;
    }

    /** Whether the shape is exactly {@code expected}. */
    public boolean hasShape(int... expected) {
        if (expected.length != shape.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != shape[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return Names.display(name) + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
