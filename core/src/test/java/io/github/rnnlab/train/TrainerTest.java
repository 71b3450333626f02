package io.github.rnnlab.train;

import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import io.github.rnnlab.train.optim.Sgd;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static SequenceModel<float[]> model(F32Ops ops, long seed) {
        return SequenceModel.create(ops, LeakyTestCell.PROVIDER, new SequenceModel.Config(new SequenceModel.Tokens(12, 8),
                new RecurrentConfig(8, 24).withLayers(2).withDropout(0.25), 12, SequenceModel.Objective.CROSS_ENTROPY), new Rng(seed));
    }

    private static Batch<float[]> batch(Rng r, int steps, int rows) {
        int[] x = new int[steps * rows];
        int[] y = new int[steps * rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(12);
            y[i] = (x[i] * 5 + 1) % 12;
        }
        return Batch.ofTokens(steps, rows, x, y, null);
    }

    /** The losses of 6 batches of training with truncated BPTT, dropout and Adam with clipping. */
    private static double[] run(F32Ops ops) {
        SequenceModel<float[]> m = model(ops, 3);
        Trainer tr = new Trainer(m.parameters(), new Adam(Adam.Config.adamW()),
                Trainer.Config.of(new LearningRate.Warmup(3, 0.5, new LearningRate.Constant(0.01))).withClipNorm(0.5), new Rng(4));
        TruncatedBptt<float[]> bptt = new TruncatedBptt<>(m, Bptt.truncated(5, 8));
        Rng data = new Rng(5);
        double[] losses = new double[6];
        float[] carry = null;
        for (int i = 0; i < losses.length; i++) {
            losses[i] = tr.train(bptt, batch(data, 23, 7), carry == null ? null : io.github.rnnlab.cell.Slice.of(carry));
            carry = Arrays.copyOf(bptt.finalState(), m.stateLength(7));
        }
        return losses;
    }

    @Test
    void sameSeedAndThreadCountGiveBitIdenticalLosses() {
        double[] a = run(F32Ops.standard());
        double[] b = run(F32Ops.standard());
        assertArrayEquals(a, b, 0.0);
        assertTrue(a[5] < a[0], "training should reduce the loss: " + Arrays.toString(a));
        try (WorkerTeam team = new WorkerTeam(2)) {
            double[] c = run(F32Ops.with(team));
            double[] d = run(F32Ops.with(team));
            assertArrayEquals(c, d, 0.0);
        }
    }

    @Test
    void aNonFiniteLossStopsTrainingWithoutTouchingParameters() {
        SequenceModel<float[]> m = model(F32Ops.standard(), 1);
        Trainer tr = new Trainer(m.parameters(), new Sgd(Sgd.Config.momentum(0.9)), Trainer.Config.of(new LearningRate.Constant(0.1)), new Rng(1));
        float[] before = m.parameters().values().clone();
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> tr.step(() -> Double.NaN));
        assertTrue(e.getMessage().contains("loss is NaN"), e.getMessage());
        assertArrayEquals(before, m.parameters().values(), 0f);
        assertEquals(0, tr.steps());
    }

    @Test
    void aNonFiniteGradientStopsTrainingWithoutTouchingParameters() {
        SequenceModel<float[]> m = model(F32Ops.standard(), 1);
        Trainer tr = new Trainer(m.parameters(), new Adam(Adam.Config.adam()), Trainer.Config.of(new LearningRate.Constant(0.1)).withClipNorm(1), new Rng(1));
        float[] before = m.parameters().values().clone();
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> tr.step(() -> {
            m.parameters().gradients()[7] = Float.POSITIVE_INFINITY;
            return 1.0;
        }));
        assertTrue(e.getMessage().contains("gradient norm is Infinity"), e.getMessage());
        assertArrayEquals(before, m.parameters().values(), 0f);
        assertEquals(0, tr.optimizer().state().buffers().size(), "the optimizer took no step");

        // A NaN parameter produces a NaN loss through the model, and is caught the same way.
        m.parameters().values()[m.parameters().block("head.bias").offset()] = Float.NaN;
        Batch<float[]> b = batch(new Rng(2), 5, 2);
        assertThrows(NonFiniteException.class, () -> tr.step(() -> m.lossAndGradient(b, null, 0)));
    }

    @Test
    void clippingAndScheduleAreApplied() {
        SequenceModel<float[]> m = model(F32Ops.standard(), 1);
        Trainer tr = new Trainer(m.parameters(), new Sgd(Sgd.Config.plain()),
                Trainer.Config.of(new LearningRate.StepDecay(1.0, 1, 0.5)).withClipNorm(1e-3), new Rng(1));
        Batch<float[]> b = batch(new Rng(2), 6, 3);
        float[] p0 = m.parameters().values().clone();
        tr.step(() -> m.lossAndGradient(b, null, 0));
        double moved = 0;
        for (int i = 0; i < p0.length; i++) {
            double d = m.parameters().values()[i] - p0[i];
            moved += d * d;
        }
        // SGD at lr 1 with the gradient clipped to norm 1e-3 moves the parameters by 1e-3.
        assertEquals(1e-3, Math.sqrt(moved), 1e-6);
        assertTrue(tr.lastGradientNorm() > 1e-3);
        float[] p1 = m.parameters().values().clone();
        tr.step(() -> m.lossAndGradient(b, null, 0));
        moved = 0;
        for (int i = 0; i < p1.length; i++) {
            double d = m.parameters().values()[i] - p1[i];
            moved += d * d;
        }
        assertEquals(0.5e-3, Math.sqrt(moved), 1e-6, "the second step runs at half the rate");
        assertNotEquals(0, tr.steps());
    }
}
