package io.github.rnnlab.cell;

/**
 * One piece of the state a cell carries from step to step, per batch row: {@code h} (H) for the Elman
 * RNN and GRU, {@code h} and {@code c} for the LSTM, {@code h} (H·N) for the SSM.
 *
 * @param name {@code [a-z][a-z0-9_]*}; the first state of every cell must be {@code h}
 * @param size the number of elements per batch row
 */
public record StateSpec(String name, Dim size) {
    public StateSpec {
        CellConfig.checkName("state", name);
        if (size == null) {
            throw new IllegalArgumentException("state " + name + " needs a size");
        }
    }
}
