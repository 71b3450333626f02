package io.github.rnnlab.init;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.numeric.Rng;

/**
 * Each element ~ U(−bound, bound).
 *
 * @param bound the half-width, finite and ≥ 0
 */
public record Uniform(double bound) implements Initializer {
    public Uniform {
        if (!(bound >= 0) || Double.isInfinite(bound)) {
            throw new IllegalArgumentException("a uniform bound must be finite and non-negative, got " + bound);
        }
    }

    @Override
    public void fill(double[] values, int[] shape, CellConfig config, Rng rng) {
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.uniform(-bound, bound);
        }
    }

    @Override
    public String toString() {
        return "uniform(" + bound + ")";
    }
}
