package io.github.rnnlab.train;

import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.Mask;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Truncated BPTT against an explicit "cut the gradient" reference, and its memory bound. */
class TruncatedBpttTest {
    private static final F64Ops OPS = F64Ops.INSTANCE;
    private static final int IN = 3, HIDDEN = 4, CLASSES = 5, BATCH = 3;

    private static SequenceModel<double[]> model(long seed) {
        return SequenceModel.create(OPS, LeakyTestCell.PROVIDER, new SequenceModel.Config(new SequenceModel.Features(IN),
                new RecurrentConfig(IN, HIDDEN, 2, Directions.FORWARD, 0, Map.of()), CLASSES, SequenceModel.Objective.CROSS_ENTROPY), new Rng(seed));
    }

    private record Data(double[] features, int[] targets, Mask mask) {
    }

    private static Data data(int steps, long seed) {
        Rng r = new Rng(seed);
        double[] f = new double[steps * BATCH * IN];
        for (int i = 0; i < f.length; i++) {
            f[i] = r.uniform(-1, 1);
        }
        int[] y = new int[steps * BATCH];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(CLASSES);
        }
        return new Data(f, y, Mask.ofLengths(steps, new int[]{steps, steps - 3, steps / 2}));
    }

    /** Steps [from, to) of the data as a batch of its own; losses before {@code lossFrom} ignored (target −1). */
    private static Batch<double[]> slice(Data d, int from, int to, int lossFrom) {
        int n = to - from;
        double[] f = Arrays.copyOfRange(d.features, from * BATCH * IN, to * BATCH * IN);
        int[] y = Arrays.copyOfRange(d.targets, from * BATCH, to * BATCH);
        for (int i = 0; i < (lossFrom - from) * BATCH; i++) {
            y[i] = -1;
        }
        float[] m = Arrays.copyOfRange(d.mask.toArray(), from * BATCH, to * BATCH);
        return Batch.ofFeatures(n, BATCH, f, y, Mask.of(n, BATCH, m));
    }

    /**
     * The reference: for each window, a separate full-BPTT run on a batch made of the window's steps
     * alone, starting from a state computed by an inference pass from step 0 (so no gradient reaches
     * it), with the losses of already-counted steps ignored; gradients summed, scaled by 1/N of the
     * whole batch.
     */
    private static double[] reference(Data d, int steps, int k1, int k2, long seed) {
        SequenceModel<double[]> ref = model(seed);
        ref.parameters().zeroGradients();
        Batch<double[]> whole = Batch.ofFeatures(steps, BATCH, d.features, d.targets, d.mask);
        double scale = ref.meanScale(ref.countedPositions(whole, 0, steps));
        for (int e = Math.min(k1, steps), prev = 0; ; prev = e, e = Math.min(e + k1, steps)) {
            int s = Math.max(0, e - k2);
            double[] h = null;
            if (s > 0) {
                ref.forward(whole, 0, s, null, Pass.inference());
                h = ref.finalState().clone();
            }
            Batch<double[]> w = slice(d, s, e, prev);
            ref.forward(w, h == null ? null : Slice.of(h), Pass.training(0));
            ref.loss(0, scale, true);
            ref.backward(null, false, false);
            if (e == steps) {
                break;
            }
        }
        return ref.parameters().gradients().clone();
    }

    @ParameterizedTest(name = "T={0} k1={1} k2={2}")
    @CsvSource({"17,5,5", "17,4,7", "12,3,3", "12,3,12", "9,9,9", "10,1,3"})
    void truncatedGradientEqualsTheCutGradientReference(int steps, int k1, int k2) {
        Data d = data(steps, 77);
        SequenceModel<double[]> m = model(5);
        m.parameters().zeroGradients();
        TruncatedBptt<double[]> tb = new TruncatedBptt<>(m, Bptt.truncated(k1, k2));
        double loss = tb.gradient(Batch.ofFeatures(steps, BATCH, d.features, d.targets, d.mask), null, 0);
        double[] expected = reference(d, steps, k1, k2, 5);
        double[] got = m.parameters().gradients();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-12 + 1e-9 * Math.abs(expected[i]), "gradient element " + i);
        }
        // The loss is the full sequence's mean loss, whatever the truncation.
        SequenceModel<double[]> plain = model(5);
        assertEquals(plain.evaluate(Batch.ofFeatures(steps, BATCH, d.features, d.targets, d.mask), null), loss, 1e-12);
        // And the final state is the state after the whole sequence.
        assertEquals(Arrays.toString(Arrays.copyOf(plain.finalState(), m.stateLength(BATCH))),
                Arrays.toString(Arrays.copyOf(tb.finalState(), m.stateLength(BATCH))));
    }

    @Test
    void truncationCutsSomethingAndKAtLeastTIsFullBptt() {
        int steps = 12;
        Data d = data(steps, 3);
        Batch<double[]> b = Batch.ofFeatures(steps, BATCH, d.features, d.targets, d.mask);
        SequenceModel<double[]> full = model(8);
        full.parameters().zeroGradients();
        full.lossAndGradient(b, null, 0);
        SequenceModel<double[]> t12 = model(8);
        t12.parameters().zeroGradients();
        new TruncatedBptt<>(t12, Bptt.truncated(12)).gradient(b, null, 0);
        SequenceModel<double[]> t3 = model(8);
        t3.parameters().zeroGradients();
        new TruncatedBptt<>(t3, Bptt.truncated(3)).gradient(b, null, 0);
        double[] g = full.parameters().gradients();
        double maxDiff12 = 0, maxDiff3 = 0;
        for (int i = 0; i < g.length; i++) {
            maxDiff12 = Math.max(maxDiff12, Math.abs(g[i] - t12.parameters().gradients()[i]));
            maxDiff3 = Math.max(maxDiff3, Math.abs(g[i] - t3.parameters().gradients()[i]));
        }
        assertEquals(0, maxDiff12, 1e-14);
        assertTrue(maxDiff3 > 1e-4, "truncation at 3 steps should change the gradient, max diff " + maxDiff3);
    }

    @Test
    void activationMemoryDoesNotGrowWithSequenceLength() {
        SequenceModel<float[]> m = SequenceModel.create(F32Ops.standard(), ElmanTestCell.PROVIDER, new SequenceModel.Config(
                new SequenceModel.Tokens(11, 8), new RecurrentConfig(8, 16).withLayers(2).withDropout(0.2), 11,
                SequenceModel.Objective.CROSS_ENTROPY), new Rng(1));
        TruncatedBptt<float[]> tb = new TruncatedBptt<>(m, Bptt.truncated(10, 20));
        long[] held = new long[3];
        int[] lengths = {50, 500, 5000};
        for (int i = 0; i < lengths.length; i++) {
            int steps = lengths[i];
            int[] x = new int[steps * 4];
            int[] y = new int[steps * 4];
            for (int j = 0; j < x.length; j++) {
                x[j] = j % 11;
                y[j] = (j + 1) % 11;
            }
            tb.gradient(Batch.ofTokens(steps, 4, x, y, null), null, 9);
            held[i] = m.bufferElements();
        }
        assertEquals(held[0], held[1], "buffer elements after T=50 and T=500");
        assertEquals(held[0], held[2], "buffer elements after T=50 and T=5000");
        // The measure is sensitive: full BPTT over 500 steps holds far more.
        SequenceModel<float[]> f = SequenceModel.create(F32Ops.standard(), ElmanTestCell.PROVIDER, m.config(), new Rng(1));
        int[] x = new int[500 * 4];
        f.lossAndGradient(Batch.ofTokens(500, 4, x, x, null), null, 9);
        assertTrue(f.bufferElements() > 10 * held[0], f.bufferElements() + " vs " + held[0]);
    }

    @Test
    void windowsWithDropoutReplayTheSameMasks() {
        // k1 < k2 re-runs steps; with dropout the re-run must see the masks of the first run, so the
        // state carried from window to window is the one full-sequence training mode gives.
        SequenceModel<double[]> m = SequenceModel.create(OPS, ElmanTestCell.PROVIDER, new SequenceModel.Config(new SequenceModel.Features(IN),
                new RecurrentConfig(IN, HIDDEN, 3, Directions.FORWARD, 0.5, Map.of()), CLASSES, SequenceModel.Objective.CROSS_ENTROPY), new Rng(2));
        int steps = 13;
        Data d = data(steps, 4);
        Batch<double[]> b = Batch.ofFeatures(steps, BATCH, d.features, d.targets, d.mask);
        TruncatedBptt<double[]> tb = new TruncatedBptt<>(m, Bptt.truncated(3, 7));
        double loss = tb.gradient(b, null, 99);
        double[] carried = Arrays.copyOf(tb.finalState(), m.stateLength(BATCH));
        m.forward(b, null, Pass.training(99));
        double expectedLoss = m.loss(0, m.meanScale(m.countedPositions(b, 0, steps)), false);
        assertEquals(expectedLoss, loss, 1e-12);
        assertEquals(Arrays.toString(Arrays.copyOf(m.finalState(), m.stateLength(BATCH))), Arrays.toString(carried));
    }

    @Test
    void bidirectionalModelsRefuseTruncation() {
        SequenceModel<double[]> m = SequenceModel.create(OPS, ElmanTestCell.PROVIDER, new SequenceModel.Config(new SequenceModel.Features(IN),
                new RecurrentConfig(IN, HIDDEN, 1, Directions.BIDIRECTIONAL_CONCAT, 0, Map.of()), CLASSES, SequenceModel.Objective.CROSS_ENTROPY), new Rng(2));
        Data d = data(10, 4);
        Batch<double[]> b = Batch.ofFeatures(10, BATCH, d.features, d.targets, d.mask);
        assertThrows(IllegalStateException.class, () -> new TruncatedBptt<>(m, Bptt.truncated(4)).gradient(b, null, 0));
        new TruncatedBptt<>(m, Bptt.full()).gradient(b, null, 0);
    }

    @Test
    void bpttParsesAndValidates() {
        assertEquals(Bptt.full(), Bptt.parse("full"));
        assertEquals(Bptt.truncated(35), Bptt.parse("35"));
        assertEquals(Bptt.truncated(5, 20), Bptt.parse("5,20"));
        assertThrows(io.github.rnnlab.RnnlabException.class, () -> Bptt.parse("20,5"));
        assertThrows(io.github.rnnlab.RnnlabException.class, () -> Bptt.parse("x"));
        assertThrows(io.github.rnnlab.RnnlabException.class, () -> Bptt.truncated(0));
    }
}
