package io.github.rnnlab.cells;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Dim;
import io.github.rnnlab.cell.GatedCell;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.StateSpec;

import java.util.List;

/** {@code lstm}: PyTorch's {@code nn.LSTM} cell ({@link Lstm}). */
public final class LstmProvider implements CellProvider {
    private static final List<ParameterSpec> PARAMETERS = GatedCell.standardParameters(4);
    private static final List<StateSpec> STATES = List.of(new StateSpec("h", Dim.HIDDEN), new StateSpec("c", Dim.HIDDEN));

    @Override
    public String id() {
        return "lstm";
    }

    @Override
    public String version() {
        return BuiltIns.VERSION;
    }

    @Override
    public String description() {
        return "LSTM, gates i, f, g, o; c = f*c + i*g, h = o*tanh(c); as PyTorch nn.LSTM";
    }

    @Override
    public int gateCount() {
        return 4;
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
        return new Lstm(this, config);
    }
}
