package io.github.rnnlab.nn;

import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.GradientCheck;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finite differences in float64 for the many-to-one classifier and the encoder–decoder. */
class CompositeModelGradientTest {
    private static final F64Ops OPS = F64Ops.INSTANCE;

    @ParameterizedTest
    @EnumSource(Directions.class)
    void classifierGradientMatchesFiniteDifferences(Directions dirs) {
        int steps = 5, batch = 4, in = 3;
        Rng rng = new Rng(7);
        SequenceClassifier<double[]> m = SequenceClassifier.create(OPS, LeakyTestCell.PROVIDER, new SequenceClassifier.Config(
                new SequenceModel.Features(in), new RecurrentConfig(in, 4, 2, dirs, 0, Map.of()), 3), rng);
        double[] x = new double[steps * batch * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.uniform(-1, 1);
        }
        Batch<double[]> b = Batch.ofFeatures(steps, batch, x, null, Mask.ofLengths(steps, new int[]{5, 2, 4, 1}));
        int[] labels = {0, 2, 1, 2};
        int sl = m.rnn().stateLength(batch);
        double[] h0 = new double[sl];
        for (int i = 0; i < sl; i++) {
            h0[i] = rng.uniform(-0.5, 0.5);
        }
        m.parameters().zeroGradients();
        m.lossAndGradient(b, labels, Slice.of(h0), 0);
        double[] pg = m.parameters().gradients().clone();
        double[] xg = Arrays.copyOf(m.inputGradient(), x.length);
        double[] hg = Arrays.copyOf(m.initialStateGradient(), sl);
        GradientCheck gc = new GradientCheck();
        java.util.function.DoubleSupplier f = () -> m.evaluate(b, labels, Slice.of(h0));
        for (Parameters.Block blk : m.parameters().blocks()) {
            gc.check(blk.name(), m.parameters().values(), blk.offset(), blk.size(), Arrays.copyOfRange(pg, blk.offset(), blk.offset() + blk.size()), f);
        }
        gc.check("input", x, 0, x.length, xg, f);
        gc.check("h0", h0, 0, sl, hg, f);
        assertEquals(List.of(), gc.failures());
        // The backward direction's summary depends on every valid step; the forward's on the last.
        assertTrue(Arrays.stream(xg).anyMatch(v -> v != 0));
    }

    @ParameterizedTest
    @EnumSource(value = Directions.class, names = "FORWARD")
    void seq2seqGradientMatchesFiniteDifferences(Directions dirs) {
        Rng rng = new Rng(8);
        Seq2Seq<double[]> m = Seq2Seq.create(OPS, ElmanTestCell.PROVIDER,
                new Seq2Seq.Config(5, 6, 3, new RecurrentConfig(3, 4, 2, dirs, 0, Map.of()), 4, 5), rng);
        int ss = 4, ts = 3, batch = 3;
        int[] src = new int[ss * batch];
        int[] tgt = new int[ts * batch];
        for (int i = 0; i < src.length; i++) {
            src[i] = rng.nextInt(5);
        }
        for (int i = 0; i < tgt.length; i++) {
            tgt[i] = rng.nextInt(6);
        }
        Mask sm = Mask.ofLengths(ss, new int[]{4, 2, 3});
        Mask tm = Mask.ofLengths(ts, new int[]{3, 3, 1});
        m.parameters().zeroGradients();
        double l = m.lossAndGradient(ss, batch, src, sm, ts, tgt, tm, 0);
        assertEquals(m.evaluate(ss, batch, src, sm, ts, tgt, tm), l, 1e-14);
        double[] pg = m.parameters().gradients().clone();
        GradientCheck gc = new GradientCheck();
        for (Parameters.Block blk : m.parameters().blocks()) {
            gc.check(blk.name(), m.parameters().values(), blk.offset(), blk.size(), Arrays.copyOfRange(pg, blk.offset(), blk.offset() + blk.size()),
                    () -> m.evaluate(ss, batch, src, sm, ts, tgt, tm));
        }
        assertEquals(List.of(), gc.failures());
        assertEquals("encoder.embedding.weight", m.parameters().blocks().get(0).name());
        assertTrue(m.parameters().blocks().stream().anyMatch(b -> b.name().equals("decoder.rnn.bias_hh_l1")));
        assertEquals("decoder.head.bias", m.parameters().blocks().get(m.parameters().blocks().size() - 1).name());
    }
}
