package io.github.rnnlab.data;

import io.github.rnnlab.numeric.Rng;

/**
 * Random windows for character-level language modelling: each batch row is an independent window of
 * {@code steps + 1} consecutive tokens starting at a uniformly random offset in
 * {@code [0, n − steps − 1]}; the first {@code steps} are the inputs and the last {@code steps} the
 * targets (shifted by one). Rows start from a fresh state (no carried state between batches).
 *
 * <p>The batcher itself has no mutable state: all randomness comes from the {@link Rng} passed to
 * {@link #next}, so a checkpoint of that generator's state reproduces the batch sequence exactly.
 * Drawing order: one {@code rng.nextInt(n − steps)} per row, rows in order.
 */
public final class RandomWindowBatcher {
    private final int[] ids;
    private final int steps;
    private final int batch;

    /**
     * @param ids   the token sequence (copied)
     * @param steps T ≥ 1
     * @param batch B ≥ 1
     * @throws NotEnoughTokensException if {@code ids.length < steps + 1}
     */
    public RandomWindowBatcher(int[] ids, int steps, int batch) {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("random windows: expected steps ≥ 1 and batch ≥ 1, got steps=" + steps + " batch=" + batch);
        }
        if (ids.length < (long) steps + 1) {
            throw new NotEnoughTokensException("random windows of sequence length " + steps + " (plus 1 target shift)",
                    (long) steps + 1, ids.length);
        }
        if ((long) steps * batch > Integer.MAX_VALUE - 8) {
            throw new io.github.rnnlab.ShapeException("random windows of " + steps + " steps × " + batch
                    + " rows: expected at most " + (Integer.MAX_VALUE - 8) + " tokens per batch, got " + (long) steps * batch);
        }
        this.ids = ids.clone();
        this.steps = steps;
        this.batch = batch;
    }

    public int steps() {
        return steps;
    }

    public int batch() {
        return batch;
    }

    /** Number of distinct window start offsets, {@code n − steps}. */
    public int windowCount() {
        return ids.length - steps;
    }

    /** A new batch of B random windows; advances {@code rng} by B draws. */
    public TokenBatch next(Rng rng) {
        int[] inputs = new int[steps * batch];
        int[] targets = new int[steps * batch];
        int starts = ids.length - steps;
        for (int b = 0; b < batch; b++) {
            int start = rng.nextInt(starts);
            for (int t = 0; t < steps; t++) {
                inputs[t * batch + b] = ids[start + t];
                targets[t * batch + b] = ids[start + t + 1];
            }
        }
        return new TokenBatch(steps, batch, inputs, targets);
    }
}
