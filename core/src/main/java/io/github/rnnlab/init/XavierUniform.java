package io.github.rnnlab.init;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.numeric.Rng;

/**
 * Xavier/Glorot uniform (Glorot &amp; Bengio 2010), as {@code torch.nn.init.xavier_uniform_}: each element
 * ~ U(−a, a) with {@code a = gain·√(6 / (fan_in + fan_out))}, where for a (rows, cols) matrix
 * {@code fan_in = cols} and {@code fan_out = rows}. A stacked gate matrix (G·H, in) is taken whole, as
 * PyTorch does when the initializer is applied to the parameter.
 *
 * @param gain the scale factor, finite and &gt; 0
 */
public record XavierUniform(double gain) implements Initializer {
    public XavierUniform {
        Xavier.checkGain(gain);
    }

    @Override
    public void fill(double[] values, int[] shape, CellConfig config, Rng rng) {
        double a = gain * Math.sqrt(6.0 / Xavier.fanSum(shape, "xavier_uniform"));
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.uniform(-a, a);
        }
    }

    @Override
    public String toString() {
        return "xavier_uniform(" + gain + ")";
    }
}
