package io.github.rnnlab.generate;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;

/**
 * How the next token is chosen from a row of logits z: greedy ({@code argmax z}, the first on ties),
 * or sampled from {@code softmax(z / temperature)}, optionally restricted to the {@code topK} largest
 * logits (ties broken by the lower index). Sampling draws exactly one {@link Rng#nextDouble()} per
 * token, so a seed reproduces a whole generation.
 *
 * @param temperature 0 for greedy, else &gt; 0 (1 = the model's distribution)
 * @param topK        0 for all classes, else how many of the largest logits to keep
 */
public record Sampling(double temperature, int topK) {

    public Sampling {
        if (!(temperature >= 0) || Double.isInfinite(temperature) || topK < 0) {
            throw new CellConfig.InvalidConfigException("sampling needs a finite temperature ≥ 0 and top-k ≥ 0, got "
                    + temperature + ", " + topK);
        }
    }

    /** Always the most likely token. */
    public static Sampling greedy() {
        return new Sampling(0, 0);
    }

    /** From softmax(z / t). */
    public static Sampling temperature(double t) {
        return new Sampling(t, 0);
    }

    /** From softmax(z / t) over the k largest logits. */
    public static Sampling topK(int k, double t) {
        return new Sampling(t, k);
    }

    public boolean greedyChoice() {
        return temperature == 0;
    }

    /**
     * Chooses a class from {@code logits[off … off + classes)}.
     *
     * @param rng used only when sampling (one draw)
     */
    public <A> int choose(Ops<A> ops, A logits, int off, int classes, Rng rng) {
        if (classes < 1) {
            throw new IllegalArgumentException("cannot choose among " + classes + " classes");
        }
        if (greedyChoice()) {
            return ops.argmax(classes, logits, off);
        }
        double[] z = new double[classes];
        ops.toDoubles(classes, logits, off, z, 0);
        boolean[] keep = new boolean[classes];
        if (topK > 0 && topK < classes) {
            // The k largest, ties to the lower index: rank each class by how many beat it.
            for (int i = 0; i < classes; i++) {
                int better = 0;
                for (int j = 0; j < classes && better < topK; j++) {
                    if (z[j] > z[i] || (z[j] == z[i] && j < i)) {
                        better++;
                    }
                }
                keep[i] = better < topK;
            }
        } else {
            java.util.Arrays.fill(keep, true);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < classes; i++) {
            if (keep[i]) {
                max = Math.max(max, z[i]);
            }
        }
        double total = 0;
        for (int i = 0; i < classes; i++) {
            z[i] = keep[i] ? Math.exp((z[i] - max) / temperature) : 0;
            total += z[i];
        }
        double u = rng.nextDouble() * total;
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < classes; i++) {
            if (z[i] > 0) {
                cumulative += z[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last >= 0 ? last : ops.argmax(classes, logits, off);
    }
}
