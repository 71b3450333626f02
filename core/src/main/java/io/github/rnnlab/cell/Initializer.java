package io.github.rnnlab.cell;

import io.github.rnnlab.numeric.Rng;

/**
 * Fills one parameter block with its initial values. Implementations must be deterministic given
 * {@code rng}'s state, must write every element of {@code values}, and must not keep references to
 * their arguments.
 */
@FunctionalInterface
public interface Initializer {
    /**
     * @param values the block, row-major, {@code shape[0]·shape[1]} elements (or {@code shape[0]}); written
     * @param shape  the block's resolved shape (1 or 2 dimensions)
     * @param config the cell's configuration (hidden size, input size, options)
     * @param rng    the source of randomness
     */
    void fill(double[] values, int[] shape, CellConfig config, Rng rng);
}
