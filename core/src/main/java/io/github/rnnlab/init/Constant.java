package io.github.rnnlab.init;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.numeric.Rng;

import java.util.Arrays;

/**
 * Every element = {@code value} (zeros with 0). Draws no random numbers.
 *
 * @param value finite
 */
public record Constant(double value) implements Initializer {
    public Constant {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a constant initializer needs a finite value, got " + value);
        }
    }

    @Override
    public void fill(double[] values, int[] shape, CellConfig config, Rng rng) {
        Arrays.fill(values, value);
    }

    @Override
    public String toString() {
        return value == 0 ? "zeros" : "constant(" + value + ")";
    }
}
