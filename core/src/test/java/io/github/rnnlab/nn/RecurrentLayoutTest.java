package io.github.rnnlab.nn;

import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names, shapes and state layout as PyTorch, and the numbers of a PyTorch nn.RNN. */
class RecurrentLayoutTest {

    @Test
    void parameterNamesAndShapesAreThoseOfPyTorchStateDict() {
        SequenceModel<double[]> m = new SequenceModel<>(F64Ops.INSTANCE, ElmanTestCell.PROVIDER, new SequenceModel.Config(
                new SequenceModel.Tokens(7, 3), new RecurrentConfig(3, 4, 2, Directions.BIDIRECTIONAL_CONCAT, 0, Map.of()), 7,
                SequenceModel.Objective.CROSS_ENTROPY));
        List<String> names = m.parameters().blocks().stream().map(b -> b.name() + Arrays.toString(b.shape())).toList();
        assertEquals(List.of("embedding.weight[7, 3]",
                "rnn.weight_ih_l0[4, 3]", "rnn.weight_hh_l0[4, 4]", "rnn.bias_ih_l0[4]", "rnn.bias_hh_l0[4]",
                "rnn.weight_ih_l0_reverse[4, 3]", "rnn.weight_hh_l0_reverse[4, 4]", "rnn.bias_ih_l0_reverse[4]", "rnn.bias_hh_l0_reverse[4]",
                "rnn.weight_ih_l1[4, 8]", "rnn.weight_hh_l1[4, 4]", "rnn.bias_ih_l1[4]", "rnn.bias_hh_l1[4]",
                "rnn.weight_ih_l1_reverse[4, 8]", "rnn.weight_hh_l1_reverse[4, 4]", "rnn.bias_ih_l1_reverse[4]", "rnn.bias_hh_l1_reverse[4]",
                "head.weight[7, 8]", "head.bias[7]"), names);
        // Contiguous, in order.
        int off = 0;
        for (Parameters.Block b : m.parameters().blocks()) {
            assertEquals(off, b.offset(), b.name());
            off += b.size();
        }
        assertEquals(off, m.parameters().size());
        assertEquals(m.parameters().block("rnn.weight_ih_l1_reverse").offset(), m.rnn().parameterOffset(1, 1));
    }

    /**
     * The numbers of PyTorch 1.13, float64:
     * <pre>
     * rnn = torch.nn.RNN(3, 4, num_layers=2, bidirectional=True)   # default dtype float64
     * k-th parameter element in named_parameters() order (flattened) = 0.5*sin(0.37*k + 0.1)
     * x[t,b,j] = 0.1*((t*B+b)*3+j) - 0.8   (T=3, B=2);   h0.flatten()[i] = 0.05*i - 0.3   (4, B, 4)
     * out, hn = rnn(x, h0)
     * </pre>
     */
    @Test
    void bidirectionalTwoLayerStackGivesPyTorchNumbers() {
        double[] expectedOut = {0.460554102426, 0.980515047728, -0.94722916426, 0.926426106188, 0.903544554303, -0.776243011589, -0.065205329815, -0.878535386798, 0.727912846461, 0.980562812798, -0.967812496345, 0.880835504143, 0.872086213639, -0.744733366378, -0.13950202014, -0.846320114539, 0.413877805253, 0.957301357443, -0.749575672753, 0.879780508731, 0.673916205093, -0.689270262256, 0.484729171454, -0.903906589458, 0.653554914663, 0.938091574503, -0.617537705737, 0.742657667248, 0.462682351853, -0.414972436009, 0.487551711702, -0.923719270176, 0.831115346621, 0.805799515097, -0.173022450108, 0.459426254921, -0.023667613235, -0.980974547516, -0.213332351256, 0.715970081074, 0.917138534788, 0.705862918579, 0.136085107536, -0.025661475419, -0.42613334108, -0.982243430778, -0.463731717557, 0.901896300646};
        double[] expectedHn = {0.287837777119, -0.281063065024, -0.709103450431, -0.381820229121, 0.308109619899, 0.074994644873, -0.491030990133, -0.51557950675, -0.758033765767, -0.658873724565, 0.018553077934, 0.813962813471, -0.648143533433, -0.440512055262, 0.076491893399, 0.629595596347, 0.831115346621, 0.805799515097, -0.173022450108, 0.459426254921, 0.917138534788, 0.705862918579, 0.136085107536, -0.025661475419, 0.903544554303, -0.776243011589, -0.065205329815, -0.878535386798, 0.872086213639, -0.744733366378, -0.13950202014, -0.846320114539};
        Parameters<double[]> p = new Parameters<>(F64Ops.INSTANCE);
        Recurrent<double[]> rnn = new Recurrent<>(p, "", ElmanTestCell.PROVIDER, new RecurrentConfig(3, 4, 2, Directions.BIDIRECTIONAL_CONCAT, 0, Map.of()));
        p.allocate();
        for (int k = 0; k < p.size(); k++) {
            p.values()[k] = 0.5 * Math.sin(0.37 * k + 0.1);
        }
        int steps = 3, batch = 2;
        double[] x = new double[steps * batch * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.1 * i - 0.8;
        }
        double[] h0 = new double[4 * batch * 4];
        for (int i = 0; i < h0.length; i++) {
            h0[i] = 0.05 * i - 0.3;
        }
        rnn.forward(Pass.inference(), steps, batch, Slice.of(x), null, Slice.of(h0));
        assertArrayEquals(expectedOut, Arrays.copyOf(rnn.output(), expectedOut.length), 1e-11);
        assertArrayEquals(expectedHn, Arrays.copyOf(rnn.finalState(), expectedHn.length), 1e-11);
        assertArrayEquals(expectedHn, rnn.state(rnn.finalState(), "h", batch), 1e-11);
    }

    @Test
    void stateLayoutIsLayerMajorDirectionMinorWithHFirst() {
        Parameters<double[]> p = new Parameters<>(F64Ops.INSTANCE);
        Recurrent<double[]> rnn = new Recurrent<>(p, "rnn.", LeakyTestCell.PROVIDER, new RecurrentConfig(2, 3, 2, Directions.BIDIRECTIONAL_CONCAT, 0, Map.of()));
        p.allocate();
        p.initialize(new Rng(3));
        int steps = 4, batch = 2, h = 3, s = 6;
        double[] x = new double[steps * batch * 2];
        Rng r = new Rng(9);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.uniform(-1, 1);
        }
        rnn.forward(Pass.inference(), steps, batch, Slice.of(x), null, null);
        double[] out = rnn.output();
        double[] hn = rnn.finalState();
        assertEquals(s, rnn.stateSize());
        for (int b = 0; b < batch; b++) {
            // h_n[layer 1, forward] = output at the last step, first half; h_n[layer 1, reverse] = output at step 0, second half.
            for (int j = 0; j < h; j++) {
                assertEquals(out[((steps - 1) * batch + b) * 2 * h + j], hn[(2 * batch + b) * s + j], 0);
                assertEquals(out[(b) * 2 * h + h + j], hn[(3 * batch + b) * s + j], 0);
            }
        }
        double[] c = rnn.state(hn, "c", batch);
        assertEquals(4 * batch * h, c.length);
        assertEquals(hn[s - h], c[0], 0);
    }

    @Test
    void paddedStepsKeepTheStateAndEachRowEqualsItsOwnRun() {
        for (Directions dirs : Directions.values()) {
            Parameters<double[]> p = new Parameters<>(F64Ops.INSTANCE);
            Recurrent<double[]> rnn = new Recurrent<>(p, "", LeakyTestCell.PROVIDER, new RecurrentConfig(3, 4, 2, dirs, 0, Map.of()));
            p.allocate();
            p.initialize(new Rng(5));
            int steps = 6, batch = 4, in = 3, w = rnn.outputSize(), sl = rnn.stateLength(batch), s = rnn.stateSize();
            int[] lengths = {6, 2, 0, 4};
            Rng r = new Rng(11);
            double[] x = new double[steps * batch * in];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.uniform(-1, 1) * 10;       // padding carries garbage that must not matter
            }
            double[] h0 = new double[sl];
            for (int i = 0; i < sl; i++) {
                h0[i] = r.uniform(-0.5, 0.5);
            }
            rnn.forward(Pass.inference(), steps, batch, Slice.of(x), Mask.ofLengths(steps, lengths), Slice.of(h0));
            double[] out = Arrays.copyOf(rnn.output(), steps * batch * w);
            double[] hn = Arrays.copyOf(rnn.finalState(), sl);
            for (int b = 0; b < batch; b++) {
                int len = lengths[b];
                double[] xb = new double[len * in];
                for (int t = 0; t < len; t++) {
                    System.arraycopy(x, (t * batch + b) * in, xb, t * in, in);
                }
                double[] h0b = new double[rnn.stateLength(1)];
                for (int k = 0; k < 2 * rnn.directions(); k++) {
                    System.arraycopy(h0, (k * batch + b) * s, h0b, k * s, s);
                }
                rnn.forward(Pass.inference(), len, 1, Slice.of(xb), null, Slice.of(h0b));
                for (int t = 0; t < steps; t++) {
                    for (int j = 0; j < w; j++) {
                        double got = out[(t * batch + b) * w + j];
                        if (t < len) {
                            assertEquals(rnn.output()[t * w + j], got, 1e-12, dirs + " row " + b + " step " + t);
                        } else {
                            assertEquals(0.0, got, 0.0, dirs + " padded output row " + b + " step " + t);
                        }
                    }
                }
                for (int k = 0; k < 2 * rnn.directions(); k++) {
                    for (int j = 0; j < s; j++) {
                        assertEquals(rnn.finalState()[k * s + j], hn[(k * batch + b) * s + j], 1e-12, dirs + " final state row " + b);
                    }
                }
                if (len == 0) {
                    for (int k = 0; k < 2 * rnn.directions(); k++) {
                        for (int j = 0; j < s; j++) {
                            assertEquals(h0[(k * batch + b) * s + j], hn[(k * batch + b) * s + j], 0.0);
                        }
                    }
                }
            }
        }
    }

    @Test
    void lastOutputIsTheOutputAtEachRowsLastValidStep() {
        Parameters<float[]> p = new Parameters<>(F32Ops.standard());
        Recurrent<float[]> rnn = new Recurrent<>(p, "", ElmanTestCell.PROVIDER, new RecurrentConfig(2, 3));
        p.allocate();
        p.initialize(new Rng(1));
        float[] x = new float[5 * 3 * 2];
        Arrays.fill(x, 0.3f);
        Mask mask = Mask.ofLengths(5, new int[]{5, 1, 3});
        rnn.forward(Pass.inference(), 5, 3, Slice.of(x), mask, null);
        float[] last = new float[3 * 3];
        rnn.lastOutput(last, 0);
        for (int b = 0; b < 3; b++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(rnn.finalState()[b * 3 + j], last[b * 3 + j], 0f);
                assertEquals(rnn.output()[(mask.lastValid(b) * 3 + b) * 3 + j], last[b * 3 + j], 0f);
            }
        }
    }

    /**
     * The final output of each direction is its output after reading the whole row: for a cell whose
     * output is h (here with a state row h|c twice as wide), the h part of the top layer's final state;
     * in the concatenated output, the forward half at the row's last valid step and the backward half
     * at its first. Rows with holes and a row without valid steps (zeros) included.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Directions.class)
    void finalOutputIsEachDirectionsOutputAfterTheWholeRow(Directions dirs) {
        int steps = 5, batch = 4, in = 2, h = 3;
        Parameters<double[]> p = new Parameters<>(F64Ops.INSTANCE);
        Recurrent<double[]> rnn = new Recurrent<>(p, "", LeakyTestCell.PROVIDER, new RecurrentConfig(in, h, 2, dirs, 0, Map.of()));
        p.allocate();
        p.initialize(new Rng(3));
        Rng r = new Rng(4);
        double[] x = new double[steps * batch * in];
        Arrays.setAll(x, i -> r.uniform(-1, 1));
        float[] m = {1, 0, 1, 0,
                     0, 0, 1, 0,
                     1, 1, 0, 0,
                     1, 0, 1, 0,
                     0, 1, 1, 0};   // row 3 has no valid step
        Mask mask = Mask.of(steps, batch, m);
        rnn.forward(Pass.inference(), steps, batch, Slice.of(x), mask, null);
        int d = rnn.directions(), w = rnn.outputSize(), st = rnn.stateSize(), top = (rnn.layers() - 1) * d;
        double[] fo = new double[batch * w];
        rnn.finalOutput(fo, 0);
        double[] hn = rnn.finalState();
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < h; j++) {
                double fwd = hn[(top * batch + b) * st + j];
                double bwd = d == 2 ? hn[((top + 1) * batch + b) * st + j] : 0;
                if (b == 3) {
                    assertEquals(0.0, fo[b * w + j], 0.0);
                    continue;
                }
                switch (dirs) {
                    case FORWARD -> assertEquals(fwd, fo[b * w + j], 0.0);
                    case BIDIRECTIONAL_SUM -> assertEquals(fwd + bwd, fo[b * w + j], 1e-15);
                    case BIDIRECTIONAL_CONCAT -> {
                        assertEquals(fwd, fo[b * w + j], 0.0);
                        assertEquals(bwd, fo[b * w + h + j], 0.0);
                        int first = 0;
                        while (!mask.valid(first, b)) {
                            first++;
                        }
                        assertEquals(rnn.output()[(mask.lastValid(b) * batch + b) * w + j], fo[b * w + j], 0.0);
                        assertEquals(rnn.output()[(first * batch + b) * w + h + j], fo[b * w + h + j], 0.0);
                    }
                }
            }
        }
        assertTrue(Arrays.stream(fo).anyMatch(v -> v != 0));
    }

    @Test
    void badShapesAreRejectedWithExpectedAndGot() {
        Parameters<double[]> p = new Parameters<>(F64Ops.INSTANCE);
        Recurrent<double[]> rnn = new Recurrent<>(p, "", ElmanTestCell.PROVIDER, new RecurrentConfig(3, 4));
        p.allocate();
        var e = assertThrows(io.github.rnnlab.ShapeException.class,
                () -> rnn.forward(Pass.inference(), 5, 2, Slice.of(new double[29]), null, null));
        assertTrue(e.getMessage().contains("expected 30"), e.getMessage());
        var e2 = assertThrows(io.github.rnnlab.ShapeException.class,
                () -> rnn.forward(Pass.inference(), 5, 2, Slice.of(new double[30]), Mask.ofLengths(4, new int[]{1, 1}), null));
        assertTrue(e2.getMessage().contains("expected 5, got 4"), e2.getMessage());
        assertThrows(IllegalStateException.class, () -> rnn.backward(null, null, false, false));
    }
}
