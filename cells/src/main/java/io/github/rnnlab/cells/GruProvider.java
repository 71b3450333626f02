package io.github.rnnlab.cells;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;

import java.util.List;

/** {@code gru}: PyTorch's {@code nn.GRU} cell ({@link Gru}). */
public final class GruProvider extends BuiltInProvider {
    public GruProvider() {
        super("gru", 3, List.of("h"),
                "GRU, gates r, z, n; n = tanh(W_in x + b_in + r*(W_hn h + b_hn)), h = (1-z)*n + z*h; as PyTorch nn.GRU");
    }

    @Override
    public Cell create(CellConfig config) {
        return new Gru(this, config);
    }
}
