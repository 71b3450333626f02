package org.example.janet;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.tck.CellContract;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract again with another β, and the cell's own equations and options checked by hand. */
class JanetOptionsTest implements CellContract {
    @Override
    public CellProvider provider() {
        return new JanetProvider();
    }

    @Override
    public Map<String, String> options() {
        return Map.of("beta", "-0.5", "t_max", "7");
    }

    @Test
    void oneStepByHand() {
        Cell cell = new JanetProvider().create(new CellConfig(1, 1, Map.of("beta", "0.5")));
        // weight_ih (2×1), weight_hh (2×1), bias_ih (2), bias_hh (2)
        double[] p = {0.5, -1.0, 0.25, 0.5, 0.1, 0.2, -0.1, 0.0};
        double[] x = {2.0}, h0 = {0.4}, out = new double[1], hn = new double[1];
        cell.forward(F64Ops.INSTANCE, new Chunk<>(1, 1, 1, Slice.of(x), null, Slice.of(p), Slice.of(h0),
                Slice.of(out), Slice.of(hn), null, Slice.of(new double[(int) cell.workspaceSize(1, 1)])));
        double s = 0.5 * 2 + 0.1 + 0.25 * 0.4 - 0.1, a = -1.0 * 2 + 0.2 + 0.5 * 0.4;
        double sig = 1 / (1 + Math.exp(-s)), k = 1 - 1 / (1 + Math.exp(-(s - 0.5)));
        assertEquals(sig * 0.4 + k * Math.tanh(a), out[0], 1e-15);
    }

    @Test
    void chronoInitialisesTheForgetBiases() {
        Cell cell = new JanetProvider().create(new CellConfig(3, 50));
        double[] p = ParameterInit.defaults().initialize(cell, new Rng(3));
        var b = cell.layout().parameter("bias_ih");
        for (int i = 0; i < 50; i++) {
            double v = p[b.offset() + i];
            assertTrue(v >= 0 && v <= Math.log(99), "log(U(1, 99)): " + v);
        }
        for (int i = 50; i < 100; i++) {
            assertEquals(0.0, p[b.offset() + i]);
        }
    }

    @Test
    void badOptionsAreRejected() {
        JanetProvider p = new JanetProvider();
        var e = assertThrows(CellConfig.InvalidConfigException.class,
                () -> p.create(new CellConfig(2, 2, Map.of("beta", "lots"))));
        assertEquals("option beta of janet: expected a finite number, got \"lots\"", e.getMessage());
        e = assertThrows(CellConfig.InvalidConfigException.class, () -> p.create(new CellConfig(2, 2, Map.of("t_max", "2"))));
        assertEquals("option t_max of janet: expected at least 3, got 2", e.getMessage());
    }
}
