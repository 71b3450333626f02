package io.github.rnnlab.cells;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;

import java.util.List;

/** {@code lstm}: PyTorch's {@code nn.LSTM} cell ({@link Lstm}). */
public final class LstmProvider extends BuiltInProvider {
    public LstmProvider() {
        super("lstm", 4, List.of("h", "c"), "LSTM, gates i, f, g, o; c = f*c + i*g, h = o*tanh(c); as PyTorch nn.LSTM");
    }

    @Override
    public Cell create(CellConfig config) {
        return new Lstm(this, config);
    }
}
