package io.github.rnnlab.cells;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;

import java.util.List;

/** The provider of an Elman cell ({@link Elman}); {@link RnnTanhProvider} and {@link RnnReluProvider} fix the activation. */
public abstract class ElmanProvider extends BuiltInProvider {
    private final Elman.Activation activation;

    ElmanProvider(String id, Elman.Activation activation, String description) {
        super(id, 1, List.of("h"), description);
        this.activation = activation;
    }

    @Override
    public Cell create(CellConfig config) {
        return new Elman(this, config, activation);
    }
}
