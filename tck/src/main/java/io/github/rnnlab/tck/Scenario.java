package io.github.rnnlab.tck;

import io.github.rnnlab.cell.CellConfig;

/**
 * One case a law is checked on: the cell's configuration, the chunk's batch and steps, how it is
 * padded, and the seed every random value of the case (parameters, inputs, states, loss weights,
 * buffer offsets) is drawn from.
 *
 * @param config the cell configuration (input size, hidden size, options)
 * @param batch  batch rows, ≥ 0
 * @param steps  time steps, ≥ 0
 * @param mask   how steps are padded
 * @param seed   the seed of the case
 */
public record Scenario(CellConfig config, int batch, int steps, Padding mask, long seed) {

    /** How the steps of a scenario are padded. */
    public enum Padding {
        /** No mask: every step valid. */
        NONE,
        /** Each (step, row) valid with probability 3/4, independently: holes anywhere. */
        RANDOM,
        /** Each row valid for a prefix of random length 0…steps, padded after (packed-sequence style). */
        LENGTHS
    }

    public Scenario {
        if (config == null || mask == null) {
            throw new IllegalArgumentException("a scenario needs a configuration and a padding kind");
        }
        if (batch < 0 || steps < 0) {
            throw new IllegalArgumentException("batch and steps must be non-negative, got batch=" + batch + " steps=" + steps);
        }
    }

    @Override
    public String toString() {
        return "in=" + config.inputSize() + " H=" + config.hiddenSize()
                + (config.options().isEmpty() ? "" : " " + config.options())
                + " batch=" + batch + " steps=" + steps + " mask=" + mask + " seed=" + seed;
    }
}
