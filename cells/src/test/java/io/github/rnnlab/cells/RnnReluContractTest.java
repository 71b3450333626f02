package io.github.rnnlab.cells;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.tck.CellContract;

/** Every law of the plugin TCK, for {@code rnn_relu}. */
class RnnReluContractTest implements CellContract {
    @Override
    public CellProvider provider() {
        return new RnnReluProvider();
    }
}
