package io.github.rnnlab.nn;

import io.github.rnnlab.cell.CellConfig;

import java.util.Map;
import java.util.TreeMap;

/**
 * The shape of a recurrent stack, as the arguments of PyTorch's {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU}.
 *
 * @param inputSize  features per step of the input, ≥ 1
 * @param hiddenSize units per layer and direction, ≥ 1
 * @param layers     stacked layers, ≥ 1; layer k &gt; 0 reads layer k−1's output
 * @param directions forward only, or bidirectional (concatenated or summed)
 * @param dropout    inverted-dropout probability on the output of every layer but the last, in training
 *                   only; in [0, 1)
 * @param options    the cell's own options (e.g. the SSM's {@code state_size}); unmodifiable
 * @param bias       whether the cell's bias blocks (those whose {@link io.github.rnnlab.cell.ParameterSpec#role()} is
 *                   {@link io.github.rnnlab.cell.Role#INPUT_BIAS} or {@link io.github.rnnlab.cell.Role#RECURRENT_BIAS})
 *                   are part of the model. False is PyTorch's {@code bias=False}: the blocks are
 *                   {@linkplain Parameters.Block#absent() absent}: held at 0, never trained, not exported
 */
public record RecurrentConfig(int inputSize, int hiddenSize, int layers, Directions directions, double dropout,
                              Map<String, String> options, boolean bias) {

    public RecurrentConfig {
        if (inputSize < 1 || hiddenSize < 1 || layers < 1) {
            throw new CellConfig.InvalidConfigException("input size, hidden size and layers must be at least 1, got "
                    + inputSize + ", " + hiddenSize + ", " + layers);
        }
        if (directions == null) {
            throw new CellConfig.InvalidConfigException("directions must be given");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new CellConfig.InvalidConfigException("dropout must be in [0, 1), got " + dropout);
        }
        options = java.util.Collections.unmodifiableMap(new TreeMap<>(options == null ? Map.of() : options));
    }

    /** A stack with biases (PyTorch's default {@code bias=True}). */
    public RecurrentConfig(int inputSize, int hiddenSize, int layers, Directions directions, double dropout,
                           Map<String, String> options) {
        this(inputSize, hiddenSize, layers, directions, dropout, options, true);
    }

    /** One forward layer with biases, without dropout or options. */
    public RecurrentConfig(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, Directions.FORWARD, 0, Map.of(), true);
    }

    public RecurrentConfig withLayers(int layers) {
        return new RecurrentConfig(inputSize, hiddenSize, layers, directions, dropout, options, bias);
    }

    public RecurrentConfig withDirections(Directions directions) {
        return new RecurrentConfig(inputSize, hiddenSize, layers, directions, dropout, options, bias);
    }

    public RecurrentConfig withDropout(double dropout) {
        return new RecurrentConfig(inputSize, hiddenSize, layers, directions, dropout, options, bias);
    }

    public RecurrentConfig withInputSize(int inputSize) {
        return new RecurrentConfig(inputSize, hiddenSize, layers, directions, dropout, options, bias);
    }

    public RecurrentConfig withOption(String name, String value) {
        TreeMap<String, String> o = new TreeMap<>(options);
        o.put(name, value);
        return new RecurrentConfig(inputSize, hiddenSize, layers, directions, dropout, o, bias);
    }

    /** This configuration with ({@code true}) or without ({@code false}, PyTorch's {@code bias=False}) bias blocks. */
    public RecurrentConfig withBias(boolean bias) {
        return new RecurrentConfig(inputSize, hiddenSize, layers, directions, dropout, options, bias);
    }

    /** The width of the stack's output: 2H for a concatenating bidirectional stack, else H. */
    public int outputSize() {
        return directions.outputWidth(hiddenSize);
    }
}
