package io.github.rnnlab.cells;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Dim;
import io.github.rnnlab.cell.GatedCell;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.StateSpec;

import java.util.List;

/** The provider of an Elman cell ({@link Elman}); {@link RnnTanhProvider} and {@link RnnReluProvider} fix the activation. */
public abstract class ElmanProvider implements CellProvider {
    private static final List<ParameterSpec> PARAMETERS = GatedCell.standardParameters(1);
    private static final List<StateSpec> STATES = List.of(new StateSpec("h", Dim.HIDDEN));

    private final Elman.Activation activation;

    ElmanProvider(Elman.Activation activation) {
        this.activation = activation;
    }

    @Override
    public String version() {
        return BuiltIns.VERSION;
    }

    @Override
    public int gateCount() {
        return 1;
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
        return new Elman(this, config, activation);
    }
}
