package io.github.rnnlab.nn;

/**
 * How a forward pass runs.
 *
 * @param training    whether to keep a tape for {@code backward} and apply dropout
 * @param dropoutSeed the seed of the dropout masks of this pass; a mask element is a pure function of
 *                    (seed, layer, absolute step, row, feature), so re-running steps gives the same masks
 * @param firstStep   the absolute step index of the pass's first step (for dropout masks when a long
 *                    sequence is run in windows, as truncated BPTT does), ≥ 0
 * @param splitAt     0, or a step 0 &lt; p ≤ steps of a forward-only stack after which the state is kept
 *                    (see {@link Recurrent#splitState()}); truncated BPTT uses it to carry the state
 *                    at a window boundary that falls inside the window it re-runs
 */
public record Pass(boolean training, long dropoutSeed, int firstStep, int splitAt) {

    public Pass {
        if (firstStep < 0 || splitAt < 0) {
            throw new IllegalArgumentException("firstStep and splitAt must be non-negative, got " + firstStep + ", " + splitAt);
        }
    }

    /** Inference: no tape, no dropout. */
    public static Pass inference() {
        return new Pass(false, 0, 0, 0);
    }

    /** Training with dropout masks drawn from {@code dropoutSeed}. */
    public static Pass training(long dropoutSeed) {
        return new Pass(true, dropoutSeed, 0, 0);
    }

    /** This pass, its first step being absolute step {@code step}. */
    public Pass startingAt(int step) {
        return new Pass(training, dropoutSeed, step, splitAt);
    }

    /** This pass, keeping the state after {@code step} steps. */
    public Pass keepingStateAfter(int step) {
        return new Pass(training, dropoutSeed, firstStep, step);
    }
}
