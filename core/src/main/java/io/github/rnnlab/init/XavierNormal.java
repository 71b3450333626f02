package io.github.rnnlab.init;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.numeric.Rng;

/**
 * Xavier/Glorot normal (Glorot &amp; Bengio 2010), as {@code torch.nn.init.xavier_normal_}: each element
 * ~ N(0, σ²) with {@code σ = gain·√(2 / (fan_in + fan_out))}; fans as in {@link XavierUniform}.
 *
 * @param gain the scale factor, finite and &gt; 0
 */
public record XavierNormal(double gain) implements Initializer {
    public XavierNormal {
        Xavier.checkGain(gain);
    }

    @Override
    public void fill(double[] values, int[] shape, CellConfig config, Rng rng) {
        double std = gain * Math.sqrt(2.0 / Xavier.fanSum(shape, "xavier_normal"));
        for (int i = 0; i < values.length; i++) {
            values[i] = std * rng.nextGaussian();
        }
    }

    @Override
    public String toString() {
        return "xavier_normal(" + gain + ")";
    }
}
