package io.github.rnnlab.cell;

import java.util.function.ToIntFunction;

/**
 * One dimension of a parameter or state shape, as a function of the cell's configuration, with the
 * symbol it is shown as ({@code "4H"}, {@code "in"}, {@code "N"}).
 *
 * @param symbol how {@code rnnlab cells} and error messages show it
 * @param size   the size for a given configuration; must be positive
 */
public record Dim(String symbol, ToIntFunction<CellConfig> size) {

    /** The input size {@code in}. */
    public static final Dim INPUT = new Dim("in", CellConfig::inputSize);

    /** The hidden size {@code H}. */
    public static final Dim HIDDEN = new Dim("H", CellConfig::hiddenSize);

    public Dim {
        if (symbol == null || symbol.isBlank() || size == null) {
            throw new IllegalArgumentException("a dimension needs a symbol and a size function");
        }
    }

    /** {@code k·H}, e.g. the 4H rows of an LSTM's stacked gate weights. */
    public static Dim hidden(int k) {
        return k == 1 ? HIDDEN : new Dim(k + "H", c -> k * c.hiddenSize());
    }

    /** An integer option of the cell, e.g. the SSM's state size {@code N} = option {@code state_size}. */
    public static Dim option(String option, String symbol) {
        return new Dim(symbol, c -> c.intOption(option));
    }

    /** The product of two dimensions, e.g. {@code H·N}. */
    public Dim times(Dim other) {
        return new Dim(symbol + "·" + other.symbol, c -> size.applyAsInt(c) * other.size.applyAsInt(c));
    }

    /** The size for {@code config}. */
    public int resolve(CellConfig config) {
        return size.applyAsInt(config);
    }

    @Override
    public String toString() {
        return symbol;
    }
}
