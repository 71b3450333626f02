package io.github.rnnlab.nn;

import io.github.rnnlab.numeric.Ops;

import java.util.ArrayList;
import java.util.List;

/**
 * A reusable work array that grows when a larger batch or sequence arrives and is never shrunk, so
 * that steady-state training allocates nothing. Its contents are not preserved across growth.
 * Buffers are created through a {@link Pool}, which reports the total they hold.
 */
final class Buffer<A> {
    private final Ops<A> ops;
    private A array;
    private int capacity;

    private Buffer(Ops<A> ops) {
        this.ops = ops;
    }

    /** The array, with at least {@code n} elements (a new zeroed one if the current one is smaller). */
    A ensure(long n) {
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a work buffer of " + n + " elements is too large");
        }
        if (array == null || capacity < n) {
            capacity = (int) Math.max(n, 1);
            array = ops.allocate(capacity);
        }
        return array;
    }

    /** The current array (may be null before the first {@link #ensure}). */
    A array() {
        return array;
    }

    int capacity() {
        return array == null ? 0 : capacity;
    }

    /** The buffers of one module. */
    static final class Pool<A> {
        private final Ops<A> ops;
        private final List<Buffer<A>> buffers = new ArrayList<>();

        Pool(Ops<A> ops) {
            this.ops = ops;
        }

        Buffer<A> create() {
            Buffer<A> b = new Buffer<>(ops);
            buffers.add(b);
            return b;
        }

        /** Elements held by every buffer of the pool. */
        long elements() {
            long n = 0;
            for (Buffer<A> b : buffers) {
                n += b.capacity();
            }
            return n;
        }
    }
}
