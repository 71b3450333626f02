package io.github.rnnlab.init;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.numeric.Rng;

/**
 * PyTorch's default for every weight and bias of {@code nn.RNN}, {@code nn.LSTM} and {@code nn.GRU}:
 * each element ~ U(−k, k) with {@code k = 1/√H}, H the cell's hidden size
 * ({@code torch/nn/modules/rnn.py}, {@code reset_parameters}).
 */
public record PyTorchUniform() implements Initializer {

    /** The bound {@code 1/√H} for {@code config}. */
    public static double bound(CellConfig config) {
        return 1.0 / Math.sqrt(config.hiddenSize());
    }

    @Override
    public void fill(double[] values, int[] shape, CellConfig config, Rng rng) {
        double k = bound(config);
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.uniform(-k, k);
        }
    }

    @Override
    public String toString() {
        return "pytorch";
    }
}
