package io.github.rnnlab.cells;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.CellRegistry;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuiltInCellsTest {

    @Test
    void rnnTanhWithHidden256AndInput100Has91648Parameters() {
        CellLayout l = new RnnTanhProvider().create(new CellConfig(100, 256)).layout();
        // 256·256 + 256·100 + 2·256, whatever the sequence length
        assertEquals(91_648, l.parameterCount());
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
                l.parameters().stream().map(CellLayout.ParameterBlock::name).toList());
        assertEquals(256, l.parameter("weight_hh").rows());
        assertEquals(100, l.parameter("weight_ih").cols());
    }

    @Test
    void gatedCellsStackTheirGateBlocks() {
        CellConfig c = new CellConfig(100, 256);
        assertEquals(4 * 91_648, new LstmProvider().create(c).layout().parameterCount());
        assertEquals(3 * 91_648, new GruProvider().create(c).layout().parameterCount());
        CellLayout lstm = new LstmProvider().create(c).layout();
        assertEquals(1024, lstm.parameter("weight_ih").rows());
        assertEquals(1024, lstm.parameter("bias_hh").rows());
        assertEquals(512, lstm.stateSize());
        assertEquals(256, lstm.state("c").offset());
    }

    @Test
    void oneStepOfRnnTanhByHand() {
        Cell cell = new RnnTanhProvider().create(new CellConfig(1, 1));
        // weight_ih, weight_hh, bias_ih, bias_hh
        double[] p = {0.5, -0.25, 0.1, 0.2};
        double[] x = {2.0}, h0 = {0.4}, out = new double[1], hn = new double[1];
        cell.forward(F64Ops.INSTANCE, new Chunk<>(1, 1, 1, Slice.of(x), null, Slice.of(p), Slice.of(h0),
                Slice.of(out), Slice.of(hn), null, Slice.of(new double[(int) cell.workspaceSize(1, 1)])));
        // tanh(0.5·2 + 0.1 − 0.25·0.4 + 0.2) = tanh(1.2)
        assertEquals(0.8336546070121552, out[0], 1e-15);
        assertEquals(out[0], hn[0]);
    }

    @Test
    void oneStepOfRnnReluByHand() {
        Cell cell = new RnnReluProvider().create(new CellConfig(2, 1));
        double[] p = {0.5, -1.0, 0.25, 0.1, 0.2};         // weight_ih (1×2), weight_hh, bias_ih, bias_hh
        double[] x = {1.0, 1.0, 1.0, -1.0}, h0 = {2.0};  // two steps
        double[] out = new double[2], hn = new double[1];
        cell.forward(F64Ops.INSTANCE, new Chunk<>(2, 1, 2, Slice.of(x), null, Slice.of(p), Slice.of(h0),
                Slice.of(out), Slice.of(hn), null, Slice.of(new double[(int) cell.workspaceSize(2, 1)])));
        // step 0: relu(0.5 − 1 + 0.25·2 + 0.3) = 0.3; step 1: relu(0.5 + 1 + 0.25·0.3 + 0.3) = 1.875
        assertEquals(0.3, out[0], 1e-15);
        assertEquals(1.875, out[1], 1e-15);
        assertEquals(1.875, hn[0], 1e-15);
    }

    @Test
    void defaultInitIsPyTorchsUniform() {
        Cell cell = new LstmProvider().create(new CellConfig(100, 256));
        double[] p = ParameterInit.defaults().initialize(cell, new Rng(7));
        double bound = 1 / Math.sqrt(256), max = 0, sum = 0, sumSq = 0;
        for (double v : p) {
            max = Math.max(max, Math.abs(v));
            sum += v;
            sumSq += v * v;
        }
        assertTrue(max <= bound, "every element within ±1/√H = " + bound + ", max " + max);
        assertTrue(max > 0.999 * bound, "the whole range is used, max " + max);
        double mean = sum / p.length, var = sumSq / p.length - mean * mean;
        assertEquals(0, mean, 5e-4);
        assertEquals(bound * bound / 3, var, 0.01 * bound * bound / 3, "variance of U(−k, k) is k²/3");
    }

    @Test
    void theClassPathRegistryFindsTheFourBuiltIns() {
        try (CellRegistry r = CellRegistry.load(getClass().getClassLoader())) {
            assertEquals(List.of("gru", "lstm", "rnn_relu", "rnn_tanh"), r.ids());
            assertTrue(r.problems().isEmpty(), r.problems().toString());
            for (CellRegistry.Entry e : r.cells()) {
                assertEquals(CellRegistry.Origin.CLASS_PATH, e.origin());
                assertEquals("1.0.0", e.provider().version());
            }
            assertInstanceOf(Lstm.class, r.create("lstm", new CellConfig(3, 4)));
            CellRegistry.UnknownCellException e = assertThrows(CellRegistry.UnknownCellException.class,
                    () -> r.provider("lstn"));
            assertEquals("unknown cell \"lstn\"; available: gru, lstm, rnn_relu, rnn_tanh", e.getMessage());
        }
    }

    @Test
    void elmanCellsKeepTheirActivation() {
        assertEquals(Elman.Activation.TANH, ((Elman) new RnnTanhProvider().create(new CellConfig(1, 1))).activation());
        assertEquals(Elman.Activation.RELU, ((Elman) new RnnReluProvider().create(new CellConfig(1, 1))).activation());
    }
}
