package io.github.rnnlab.tck;

import io.github.rnnlab.cell.CellProvider;

/** The contract itself runs (as a plugin's test would) on a correct cell with two states. */
class ToyContractTest implements CellContract {
    @Override
    public CellProvider provider() {
        return new ToyCell.Provider(ToyCell.Defect.NONE);
    }
}
