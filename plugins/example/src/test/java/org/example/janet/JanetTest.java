package org.example.janet;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.tck.CellContract;

/** Every law of the rnnlab cell contract: gradients, float32 vs float64, streaming, masks, init, errors. */
class JanetTest implements CellContract {
    @Override
    public CellProvider provider() {
        return new JanetProvider();
    }
}
