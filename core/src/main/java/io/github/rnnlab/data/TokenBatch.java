package io.github.rnnlab.data;

import io.github.rnnlab.ShapeException;

/**
 * One batch for character-level language modelling: input ids and next-character targets, both
 * laid out (steps, batch) row-major, so element {@code (t, b)} is at {@code t · batch + b} — the
 * time-major order the sequence engine uses. {@code target(t, b)} is the token that follows
 * {@code input(t, b)} in the text.
 *
 * <p>The arrays returned by {@link #inputs()} and {@link #targets()} are the batch's own (not
 * copies); treat them as read-only.
 */
public final class TokenBatch {
    private final int steps;
    private final int batch;
    private final int[] inputs;
    private final int[] targets;

    /**
     * @param inputs  (steps, batch) token ids
     * @param targets (steps, batch) token ids
     * @throws ShapeException if either array is not steps·batch long
     */
    public TokenBatch(int steps, int batch, int[] inputs, int[] targets) {
        if (steps < 0 || batch < 0) {
            throw new ShapeException("token batch: expected non-negative steps and batch, got steps=" + steps + " batch=" + batch);
        }
        ShapeException.check("token batch inputs (steps·batch)", (long) steps * batch, inputs.length);
        ShapeException.check("token batch targets (steps·batch)", (long) steps * batch, targets.length);
        this.steps = steps;
        this.batch = batch;
        this.inputs = inputs;
        this.targets = targets;
    }

    /** T: time steps in this batch. */
    public int steps() {
        return steps;
    }

    /** B: rows (parallel sequences). */
    public int batch() {
        return batch;
    }

    /** (steps, batch) input ids; the batch's own array. */
    public int[] inputs() {
        return inputs;
    }

    /** (steps, batch) target ids; the batch's own array. */
    public int[] targets() {
        return targets;
    }

    public int input(int t, int b) {
        return inputs[index(t, b)];
    }

    public int target(int t, int b) {
        return targets[index(t, b)];
    }

    /**
     * Writes the inputs as one-hot vectors: {@code out[offset + (t·batch + b)·V + input(t, b)] = 1}, every
     * other element of the (steps, batch, V) region 0.
     *
     * @param vocabularySize V
     * @param out            at least {@code offset + steps·batch·V} long; the region is overwritten
     * @throws ShapeException if the region does not fit
     * @throws IndexOutOfBoundsException if an input id is not below V
     */
    public void oneHot(int vocabularySize, float[] out, int offset) {
        long size = (long) steps * batch * vocabularySize;
        ShapeException.checkRegion("one-hot inputs (steps·batch·vocabularySize)", out.length, offset, size);
        java.util.Arrays.fill(out, offset, (int) (offset + size), 0f);
        for (int i = 0; i < inputs.length; i++) {
            int id = inputs[i];
            if (id < 0 || id >= vocabularySize) {
                throw new IndexOutOfBoundsException("token id: expected 0 to " + (vocabularySize - 1) + ", got " + id);
            }
            out[offset + i * vocabularySize + id] = 1f;
        }
    }

    private int index(int t, int b) {
        if (t < 0 || t >= steps || b < 0 || b >= batch) {
            throw new IndexOutOfBoundsException("(t, b): expected t < " + steps + " and b < " + batch + ", got (" + t + ", " + b + ")");
        }
        return t * batch + b;
    }
}
