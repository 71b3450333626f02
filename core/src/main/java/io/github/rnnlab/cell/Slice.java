package io.github.rnnlab.cell;

/**
 * A region of an array that starts at {@code offset}: how buffers are handed to a cell without copying.
 *
 * @param array  a {@code float[]}, {@code double[]} (per the {@link io.github.rnnlab.numeric.Ops} in use) or {@code float[]} mask
 * @param offset the index of the region's first element
 * @param <A>    the array type
 */
public record Slice<A>(A array, int offset) {
    public Slice {
        if (array == null) {
            throw new IllegalArgumentException("a slice needs an array");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("a slice offset must be non-negative, got " + offset);
        }
    }

    /** The region starting at offset 0. */
    public static <A> Slice<A> of(A array) {
        return new Slice<>(array, 0);
    }

    /** The region starting {@code delta} elements further on. */
    public Slice<A> plus(int delta) {
        return new Slice<>(array, offset + delta);
    }
}
