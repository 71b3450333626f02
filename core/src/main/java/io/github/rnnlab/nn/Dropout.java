package io.github.rnnlab.nn;

import io.github.rnnlab.numeric.Ops;

/**
 * Inverted dropout masks: each element is kept with probability 1 − p and then scaled by 1/(1 − p),
 * so the expected activation is unchanged and inference needs no rescaling (as {@code nn.Dropout}).
 *
 * <p>A mask element is a pure function of (seed, layer, absolute step, row, feature), hashed with the
 * SplitMix64 finaliser ("counter-based" randomness). Two consequences: re-running any window of
 * steps reproduces exactly the masks of the first run (truncated BPTT re-runs windows), and the
 * masks do not depend on the thread count or on how a sequence is cut into chunks.
 */
public final class Dropout {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Dropout() {
    }

    /**
     * Writes the mask of {@code steps} × {@code batch} × {@code width} elements (row-major) into
     * {@code mask} from {@code off}: 0 or 1/(1 − p).
     *
     * @param layer     which layer's output the mask is for
     * @param firstStep the absolute step of the first of the {@code steps} steps
     */
    public static <A> void fill(Ops<A> ops, A mask, int off, int steps, int batch, int width, double p,
                                long seed, int layer, int firstStep) {
        double scale = 1.0 / (1.0 - p);
        long layerKey = mix(seed + GOLDEN * (layer + 1L));
        for (int t = 0; t < steps; t++) {
            long stepKey = mix(layerKey ^ mix(GOLDEN * (firstStep + t + 1L)));
            for (int b = 0; b < batch; b++) {
                long rowKey = mix(stepKey + GOLDEN * (b + 1L));
                int o = off + (t * batch + b) * width;
                for (int j = 0; j < width; j++) {
                    double u = (mix(rowKey + GOLDEN * (j + 1L)) >>> 11) * 0x1.0p-53;
                    ops.set(mask, o + j, u < p ? 0.0 : scale);
                }
            }
        }
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
