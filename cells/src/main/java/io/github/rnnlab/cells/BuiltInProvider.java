package io.github.rnnlab.cells;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Dim;
import io.github.rnnlab.cell.GatedCell;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.StateSpec;

import java.util.List;

/**
 * What the built-in providers share: PyTorch's four parameter blocks for their gate count
 * ({@link GatedCell#standardParameters}), states of hidden size each, and one version.
 */
abstract class BuiltInProvider implements CellProvider {
    /** The version every built-in cell reports; bump it when a cell's numbers change. */
    static final String VERSION = "1.0.0";

    private final String id;
    private final String description;
    private final int gateCount;
    private final List<ParameterSpec> parameters;
    private final List<StateSpec> states;

    /**
     * @param id          the cell id
     * @param gateCount   the gate blocks stacked in {@code weight_ih} and {@code weight_hh}
     * @param stateNames  the states of a row, each of hidden size, {@code h} first
     * @param description one line for {@code rnnlab cells}
     */
    BuiltInProvider(String id, int gateCount, List<String> stateNames, String description) {
        this.id = id;
        this.description = description;
        this.gateCount = gateCount;
        this.parameters = GatedCell.standardParameters(gateCount);
        this.states = stateNames.stream().map(name -> new StateSpec(name, Dim.HIDDEN)).toList();
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String version() {
        return VERSION;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final int gateCount() {
        return gateCount;
    }

    @Override
    public final List<ParameterSpec> parameters() {
        return parameters;
    }

    @Override
    public final List<StateSpec> states() {
        return states;
    }
}
