package io.github.rnnlab;

import java.util.Arrays;

/**
 * A tensor, buffer or configuration value has the wrong size or shape. The message always reads
 * "… expected X, got Y".
 */
public class ShapeException extends RnnlabException {
    public ShapeException(String message) {
        super(message);
    }

    /** "{what}: expected {expected}, got {actual}". */
    public static ShapeException expected(String what, long expected, long actual) {
        return new ShapeException(what + ": expected " + expected + ", got " + actual);
    }

    /** "{what}: expected shape [a, b], got [c, d]". */
    public static ShapeException expectedShape(String what, int[] expected, int[] actual) {
        return new ShapeException(what + ": expected shape " + Arrays.toString(expected) + ", got " + Arrays.toString(actual));
    }

    /** Throws {@link #expected} unless {@code expected == actual}. */
    public static void check(String what, long expected, long actual) {
        if (expected != actual) {
            throw expected(what, expected, actual);
        }
    }

    /** Throws unless the region {@code [offset, offset + size)} fits in an array of {@code length} elements. */
    public static void checkRegion(String what, int length, long offset, long size) {
        if (offset < 0 || size < 0 || offset + size > length) {
            throw new ShapeException(what + ": expected " + size + " elements from offset " + offset
                    + ", got an array of " + length);
        }
    }
}
