package io.github.rnnlab.cells;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Dim;
import io.github.rnnlab.cell.GatedCell;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.StateSpec;

import java.util.List;

/** {@code gru}: PyTorch's {@code nn.GRU} cell ({@link Gru}). */
public final class GruProvider implements CellProvider {
    private static final List<ParameterSpec> PARAMETERS = GatedCell.standardParameters(3);
    private static final List<StateSpec> STATES = List.of(new StateSpec("h", Dim.HIDDEN));

    @Override
    public String id() {
        return "gru";
    }

    @Override
    public String version() {
        return BuiltIns.VERSION;
    }

    @Override
    public String description() {
        return "GRU, gates r, z, n; n = tanh(W_in x + b_in + r*(W_hn h + b_hn)), h = (1-z)*n + z*h; as PyTorch nn.GRU";
    }

    @Override
    public int gateCount() {
        return 3;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public List<StateSpec> states() {
        return STATES;
    }

    @Override
    public Cell create(CellConfig config) {
        return new Gru(this, config);
    }
}
