package io.github.rnnlab.data;

import java.util.NoSuchElementException;

/**
 * Sequential, stateful batches for truncated backpropagation through time with carried state.
 *
 * <p>The text of n tokens is cut into B contiguous streams of {@code L = ⌊n / B⌋} tokens (the last
 * {@code n mod B} tokens are not used); stream b is {@code ids[b·L, (b+1)·L)}. Each batch advances
 * every stream by the same T steps, so row b of a batch continues exactly where row b of the
 * previous batch stopped, and the final hidden state of one batch is the right initial state of the
 * next. At position p the batch holds {@code input(t, b) = ids[b·L + p + t]} and
 * {@code target(t, b) = ids[b·L + p + t + 1]} for {@code t < min(T, L − 1 − p)}: the last batch of an
 * epoch is shorter when {@code L − 1} is not a multiple of T. After it, {@link #hasNext()} is false;
 * {@link #reset()} starts the next epoch (reset the carried state too).
 *
 * <p>The position is the batcher's only mutable state ({@link #position()}, {@link #seek} for
 * checkpoints). Not thread-safe.
 */
public final class SequentialBatcher {
    private final int[] ids;
    private final int steps;
    private final int batch;
    private final int streamLength;
    private int position;

    /**
     * @param ids   the token sequence (copied)
     * @param steps T ≥ 1, the truncation length
     * @param batch B ≥ 1, the number of parallel streams
     * @throws NotEnoughTokensException if the streams would be shorter than {@code steps + 1}
     *         (that is, {@code n < B·(T + 1)})
     */
    public SequentialBatcher(int[] ids, int steps, int batch) {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("sequential batches: expected steps ≥ 1 and batch ≥ 1, got steps=" + steps + " batch=" + batch);
        }
        long required = (long) batch * (steps + 1L);
        if (ids.length < required) {
            throw new NotEnoughTokensException("sequential batches of " + batch + " streams × sequence length " + steps
                    + " (plus 1 target shift)", required, ids.length);
        }
        if ((long) steps * batch > Integer.MAX_VALUE - 8) {
            throw new io.github.rnnlab.ShapeException("sequential batches of " + steps + " steps × " + batch
                    + " rows: expected at most " + (Integer.MAX_VALUE - 8) + " tokens per batch, got " + (long) steps * batch);
        }
        this.ids = ids.clone();
        this.steps = steps;
        this.batch = batch;
        this.streamLength = ids.length / batch;
    }

    public int steps() {
        return steps;
    }

    public int batch() {
        return batch;
    }

    /** L = ⌊n / B⌋, the length of each stream. */
    public int streamLength() {
        return streamLength;
    }

    /** Batches in one epoch: ⌈(L − 1) / T⌉. */
    public int batchesPerEpoch() {
        return (streamLength - 1 + steps - 1) / steps;
    }

    /** Offset within each stream of the next batch's first input, in [0, L − 1]. */
    public int position() {
        return position;
    }

    /**
     * Moves to {@code position} (from {@link #position()} of a checkpoint).
     *
     * @throws IllegalArgumentException unless 0 ≤ position ≤ L − 1
     */
    public void seek(int position) {
        if (position < 0 || position > streamLength - 1) {
            throw new IllegalArgumentException("stream position: expected 0 to " + (streamLength - 1) + ", got " + position);
        }
        this.position = position;
    }

    /** Whether the current epoch has another batch. */
    public boolean hasNext() {
        return position < streamLength - 1;
    }

    /** Starts a new epoch at position 0. */
    public void reset() {
        position = 0;
    }

    /**
     * The next batch: T steps (fewer for the last batch of an epoch) of every stream.
     *
     * @throws NoSuchElementException if the epoch is finished ({@link #hasNext()} is false)
     */
    public TokenBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the epoch is finished after " + batchesPerEpoch() + " batches; call reset()");
        }
        int t1 = Math.min(steps, streamLength - 1 - position);
        int[] inputs = new int[t1 * batch];
        int[] targets = new int[t1 * batch];
        for (int b = 0; b < batch; b++) {
            int base = b * streamLength + position;
            for (int t = 0; t < t1; t++) {
                inputs[t * batch + b] = ids[base + t];
                targets[t * batch + b] = ids[base + t + 1];
            }
        }
        position += t1;
        return new TokenBatch(t1, batch, inputs, targets);
    }
}
