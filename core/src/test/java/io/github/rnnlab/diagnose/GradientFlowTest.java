package io.github.rnnlab.diagnose;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.init.Initializers;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.linalg.Matrix;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.Mask;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.train.TaskTraining;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientFlowTest {
    private static final F64Ops F64 = F64Ops.INSTANCE;

    static SequenceModel<double[]> model(io.github.rnnlab.cell.CellProvider cell, int in, int hidden, int layers,
                                         SequenceModel.Objective objective, int outputs, long seed) {
        return SequenceModel.create(F64, cell, new SequenceModel.Config(new SequenceModel.Features(in),
                new RecurrentConfig(in, hidden).withLayers(layers), outputs, objective), new Rng(seed));
    }

    static double[] random(int n, Rng rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.uniform(-1, 1);
        }
        return v;
    }

    static double norm(double[] v, int from, int n) {
        double s = 0;
        for (int i = from; i < from + n; i++) {
            s += v[i] * v[i];
        }
        return Math.sqrt(s);
    }

    /** ∂ℓ/∂s at each distance, one row, as the product of exact step Jacobians (checked against finite differences). */
    @Test
    void normsAtEveryDistanceAreTheProductOfStepJacobians() {
        int steps = 6, in = 2, h = 3;
        SequenceModel<double[]> m = model(LeakyTestCell.PROVIDER, in, h, 1, SequenceModel.Objective.MEAN_SQUARED_ERROR, 1, 1);
        double[] x = random(steps * in, new Rng(2));
        GradientFlow.Config cfg = GradientFlow.Config.defaults().withSeed(9).withJacobians(1, 1);
        GradientFlow.Result r = GradientFlow.measure(m, Batch.ofFeatureValues(steps, 1, x, new double[steps], null), cfg);

        Cell cell = m.rnn().cell(0);
        double[] p = m.parameters().values().clone();
        double[][] s = new double[steps + 1][2 * h];
        for (int t = 0; t < steps; t++) {
            s[t + 1] = StepJacobianTest.step(cell, p, java.util.Arrays.copyOfRange(x, t * in, (t + 1) * in), s[t]);
        }
        double[] u = new double[h];
        GradientFlow.LossAtEnd.randomProjection(9).gradient(1, h, new int[] {steps - 1}, s[steps].clone(), u);
        double[] g = new double[2 * h];                       // ∂ℓ/∂s_T = [u | 0]: the output is h_T
        System.arraycopy(u, 0, g, 0, h);
        StepJacobian sj = new StepJacobian(cell, p, 0);
        GradientFlow.LayerFlow lf = r.bottom();
        assertEquals(List.of("h", "c", GradientFlow.WHOLE_STATE), lf.states());
        for (int d = 1; d <= steps; d++) {
            int t = steps - d + 1;                            // J_t = ∂s_t/∂s_{t-1}, at x_t and s_{t-1}
            Matrix j = sj.at(x, (t - 1) * in, s[t - 1], 0);
            g = j.transposeTimes(g);                          // g_d = g_{d-1}·J_t
            assertEquals(norm(g, 0, h), lf.gradientNorms("h")[d - 1], 1e-12, "h at distance " + d);
            assertEquals(norm(g, h, h), lf.gradientNorms("c")[d - 1], 1e-12, "c at distance " + d);
            assertEquals(norm(g, 0, 2 * h), lf.gradientNorms(GradientFlow.WHOLE_STATE)[d - 1], 1e-12);
            assertEquals(StepJacobian.spectralNorm(j), lf.jacobianNorms(GradientFlow.WHOLE_STATE)[t - 1], 1e-12);
            assertEquals(0.5, lf.jacobianNorms("c")[t - 1], 1e-12); // the leaky c→c block is ½·I
            assertEquals(0.5, lf.jacobianRms("c")[t - 1], 1e-12);
            assertEquals(StepJacobian.rmsGain(j), lf.jacobianRms(GradientFlow.WHOLE_STATE)[t - 1], 1e-12);
        }
        assertEquals(Math.log(0.5), lf.meanLogJacobianNorm("c"), 1e-12);
        assertEquals(Math.log(0.5), lf.meanLogJacobianRms("c"), 1e-12);
    }

    /** The gradient at distance T of every layer is the initial-state gradient of the whole stack's backward pass. */
    @Test
    void distanceTOfEveryLayerEqualsTheStacksInitialStateGradient() {
        int steps = 5, batch = 3, in = 2, h = 4, layers = 2;
        SequenceModel<double[]> m = model(ElmanTestCell.PROVIDER, in, h, layers, SequenceModel.Objective.MEAN_SQUARED_ERROR, 1, 3);
        double[] x = random(steps * batch * in, new Rng(4));
        GradientFlow.Result r = GradientFlow.measure(m, Batch.ofFeatureValues(steps, batch, x, new double[steps * batch], null),
                GradientFlow.Config.defaults().withSeed(5).withJacobians(0, 1));
        assertEquals(layers, r.layers().size());
        assertEquals(batch, r.countedRows());

        double[] u = new double[batch * h];
        GradientFlow.LossAtEnd.randomProjection(5).gradient(batch, h, new int[] {4, 4, 4}, new double[batch * h], u);
        double[] dOut = new double[steps * batch * h];
        System.arraycopy(u, 0, dOut, (steps - 1) * batch * h, batch * h);
        m.rnn().forward(Pass.training(0), steps, batch, Slice.of(x), null, null);
        m.rnn().backward(Slice.of(dOut), null, false, true);
        double[] d0 = m.rnn().initialStateGradient();
        for (int l = 0; l < layers; l++) {
            double mean = 0;
            for (int b = 0; b < batch; b++) {
                mean += norm(d0, (l * batch + b) * h, h) / batch;
            }
            assertEquals(mean, r.layers().get(l).gradientNorms("h")[steps - 1], 1e-12, "layer " + l);
            assertTrue(mean > 0);
        }
        // no Jacobians were asked for
        assertTrue(Double.isNaN(r.bottom().jacobianNorms(GradientFlow.WHOLE_STATE)[steps - 1]));
        assertTrue(Double.isNaN(r.bottom().meanLogJacobianNorm()));
    }

    /** Padded rows: each row's loss sits at its last valid step and distances count from there. */
    @Test
    void paddedRowsCountDistancesFromTheirOwnLastStep() {
        int steps = 6, in = 2, h = 3;
        int[] lengths = {6, 3, 5};
        int batch = lengths.length;
        SequenceModel<double[]> m = model(ElmanTestCell.PROVIDER, in, h, 1, SequenceModel.Objective.MEAN_SQUARED_ERROR, 1, 6);
        double[] x = random(steps * batch * in, new Rng(7));
        GradientFlow.Config cfg = GradientFlow.Config.defaults().withJacobians(0, 1);
        GradientFlow.Result r = GradientFlow.measure(m, Batch.ofFeatureValues(steps, batch, x, new double[steps * batch],
                Mask.ofLengths(steps, lengths)), cfg);
        double[][] single = new double[batch][];
        for (int b = 0; b < batch; b++) {
            double[] xb = new double[lengths[b] * in];
            for (int t = 0; t < lengths[b]; t++) {
                System.arraycopy(x, (t * batch + b) * in, xb, t * in, in);
            }
            single[b] = GradientFlow.measure(m, Batch.ofFeatureValues(lengths[b], 1, xb, new double[lengths[b]], null), cfg)
                    .bottom().gradientNorms("h");
        }
        double[] masked = r.bottom().gradientNorms("h");
        for (int d = 1; d <= steps; d++) {
            double sum = 0;
            int n = 0;
            for (int b = 0; b < batch; b++) {
                if (lengths[b] >= d) {
                    sum += single[b][d - 1];
                    n++;
                }
            }
            assertEquals(sum / n, masked[d - 1], 1e-12, "distance " + d);
        }
    }

    /** The model's own head and loss at the last step, per row, against the model's backward pass. */
    @Test
    void modelLossObjectiveUsesTheHeadAndTheTargets() {
        int steps = 5, batch = 4, in = 2, h = 3, classes = 3;
        Rng rng = new Rng(8);
        double[] x = random(steps * batch * in, rng);
        // mean squared error
        SequenceModel<double[]> mse = model(ElmanTestCell.PROVIDER, in, h, 1, SequenceModel.Objective.MEAN_SQUARED_ERROR, 2, 9);
        double[] y = random(steps * batch * 2, rng);
        Batch<double[]> b1 = Batch.ofFeatureValues(steps, batch, x, y, null);
        GradientFlow.Config cfg = GradientFlow.Config.defaults().withObjective(GradientFlow.Objective.MODEL_LOSS).withJacobians(0, 1);
        assertEquals(meanInitialGradient(mse, b1, batch, h, batch), GradientFlow.measure(mse, b1, cfg).bottom().gradientNorms("h")[steps - 1], 1e-12);
        // cross-entropy, one row's target ignored: it does not count
        SequenceModel<double[]> ce = model(ElmanTestCell.PROVIDER, in, h, 1, SequenceModel.Objective.CROSS_ENTROPY, classes, 10);
        int[] targets = new int[steps * batch];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = rng.nextInt(classes);
        }
        targets[(steps - 1) * batch + 2] = -1;
        Batch<double[]> b2 = Batch.ofFeatures(steps, batch, x, targets, null);
        GradientFlow.Result r = GradientFlow.measure(ce, b2, cfg);
        assertEquals(3, r.countedRows());
        assertEquals(meanInitialGradient(ce, b2, batch, h, 3), r.bottom().gradientNorms("h")[steps - 1], 1e-12);
        // a batch without targets cannot be used with the model's loss
        assertThrows(IllegalArgumentException.class, () -> GradientFlow.measure(ce, Batch.ofFeatures(steps, batch, x, null, null), cfg));
    }

    /** Σ over rows of ‖∂(Σ_b ℓ_b)/∂s_0‖ / counted, from the model's own backward pass with the loss at the last step. */
    private static double meanInitialGradient(SequenceModel<double[]> m, Batch<double[]> b, int batch, int h, int counted) {
        m.parameters().zeroGradients();
        m.forward(b, null, Pass.training(0));
        m.loss(b.steps() - 1, 1.0, true);   // scale 1: the sum of the rows' losses
        m.backward(null, false, true);
        double[] d0 = m.initialStateGradient();
        double s = 0;
        for (int r = 0; r < batch; r++) {
            s += norm(d0, r * h, h);
        }
        return s / counted;
    }

    /**
     * h_t = tanh(W·h_{t-1}) from h = 0 with zero input weights and biases stays 0, so every step
     * Jacobian is W itself: with W = g·Q (Q orthogonal) the gradient norm is exactly g^d.
     */
    static GradientFlow.Result linearised(double gain, int steps) {
        ParameterInit init = ParameterInit.defaults().with(Role.RECURRENT_WEIGHT, Initializers.orthogonal(gain))
                .with(Role.INPUT_WEIGHT, Initializers.zeros()).with(Role.INPUT_BIAS, Initializers.zeros())
                .with(Role.RECURRENT_BIAS, Initializers.zeros());
        SequenceModel<double[]> m = new SequenceModel<>(F64, ElmanTestCell.PROVIDER, new SequenceModel.Config(new SequenceModel.Features(2),
                new RecurrentConfig(2, 6), 1, SequenceModel.Objective.MEAN_SQUARED_ERROR));
        TaskTraining.initialize(m.parameters(), init, new Rng(11));
        double[] x = random(steps * 2 * 2, new Rng(12));
        return GradientFlow.measure(m, Batch.ofFeatureValues(steps, 2, x, new double[steps * 2], null),
                GradientFlow.Config.defaults().withJacobians(2, 3));
    }

    @Test
    void orthogonalRecurrenceIsStableScaledUpExplodesScaledDownVanishes() {
        int steps = 30;
        GradientFlow.Result one = linearised(1.0, steps), up = linearised(1.1, steps), down = linearised(0.9, steps);
        for (int d = 1; d <= steps; d++) {
            assertEquals(1.0, one.bottom().gradientNorms("h")[d - 1], 1e-12);
            assertEquals(Math.pow(1.1, d), up.bottom().gradientNorms("h")[d - 1], 1e-9 * Math.pow(1.1, d));
            assertEquals(Math.pow(0.9, d), down.bottom().gradientNorms("h")[d - 1], 1e-12);
        }
        assertEquals(1.0, one.bottom().fit("h").rate(), 1e-12);
        assertEquals(1.1, up.bottom().fit("h").rate(), 1e-12);
        assertEquals(0.9, down.bottom().fit("h").rate(), 1e-12);
        assertEquals(Verdict.STABLE, one.verdict());
        assertEquals(Verdict.EXPLODING, up.verdict());
        assertEquals(Verdict.VANISHING, down.verdict());
        // every sampled step Jacobian is W: its norm is the gain; stride 3 from the last step
        double[] j = up.bottom().jacobianNorms(GradientFlow.WHOLE_STATE);
        for (int t = 1; t <= steps; t++) {
            if ((steps - t) % 3 == 0) {
                assertEquals(1.1, j[t - 1], 1e-9, "step " + t);
            } else {
                assertTrue(Double.isNaN(j[t - 1]), "step " + t + " was not sampled");
            }
        }
        assertEquals(Math.log(1.1), up.bottom().meanLogJacobianNorm(), 1e-9);
        assertEquals(Math.log(1.1), up.bottom().meanLogJacobianRms(), 1e-9); // every singular value of 1.1·Q is 1.1
        assertEquals(1.1, up.bottom().geometricMeanJacobianRms(), 1e-9);
        assertEquals(0.0, one.bottom().meanLogJacobianNorm(), 1e-9);
    }

    @Test
    void smallRecurrentWeightsVanishAtInitialisation() {
        int steps = 30;
        ParameterInit small = ParameterInit.defaults().with(Role.RECURRENT_WEIGHT, Initializers.uniform(0.05));
        SequenceModel<float[]> m = new SequenceModel<>(F32Ops.standard(), ElmanTestCell.PROVIDER, new SequenceModel.Config(
                new SequenceModel.Features(2), new RecurrentConfig(2, 16), 1, SequenceModel.Objective.MEAN_SQUARED_ERROR));
        TaskTraining.initialize(m.parameters(), small, new Rng(13));
        float[] x = new float[steps * 4 * 2];
        Rng rng = new Rng(14);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        GradientFlow.Result r = GradientFlow.measure(m, Batch.ofFeatureValues(steps, 4, x, new float[steps * 4], null),
                GradientFlow.Config.defaults());
        assertEquals(Verdict.VANISHING, r.verdict());
        assertTrue(r.bottom().fit("h").rate() < 0.3, "rate " + r.bottom().fit("h").rate());
        assertTrue(r.bottom().geometricMeanJacobianNorm() < 0.3);
    }

    /** Any model's stack can be measured: a classifier's gives what the same stack in a sequence model gives. */
    @Test
    void theStackOfAClassifierCanBeMeasuredDirectly() {
        int steps = 7, batch = 2, in = 3, h = 4;
        io.github.rnnlab.nn.SequenceClassifier<double[]> c = io.github.rnnlab.nn.SequenceClassifier.create(F64, LeakyTestCell.PROVIDER,
                new io.github.rnnlab.nn.SequenceClassifier.Config(new SequenceModel.Features(in), new RecurrentConfig(in, h), 5), new Rng(31));
        SequenceModel<double[]> m = model(LeakyTestCell.PROVIDER, in, h, 1, SequenceModel.Objective.MEAN_SQUARED_ERROR, 1, 31);
        assertEquals(m.parameters().get("rnn.weight_hh_l0")[3], c.parameters().get("rnn.weight_hh_l0")[3]);
        double[] x = random(steps * batch * in, new Rng(32));
        GradientFlow.Config cfg = GradientFlow.Config.defaults().withJacobians(1, 1);
        GradientFlow.Result viaStack = GradientFlow.measure(c.rnn(), c.parameters(), steps, batch, x, null,
                GradientFlow.LossAtEnd.randomProjection(cfg.seed()), cfg);
        GradientFlow.Result viaModel = GradientFlow.measure(m, Batch.ofFeatureValues(steps, batch, x, new double[steps * batch], null), cfg);
        for (String state : List.of("h", "c", GradientFlow.WHOLE_STATE)) {
            assertEquals(java.util.Arrays.toString(viaModel.bottom().gradientNorms(state)), java.util.Arrays.toString(viaStack.bottom().gradientNorms(state)));
            assertEquals(java.util.Arrays.toString(viaModel.bottom().jacobianNorms(state)), java.util.Arrays.toString(viaStack.bottom().jacobianNorms(state)));
        }
    }

    @Test
    void refusals() {
        SequenceModel<double[]> bi = SequenceModel.create(F64, ElmanTestCell.PROVIDER, new SequenceModel.Config(new SequenceModel.Features(2),
                new RecurrentConfig(2, 3).withDirections(Directions.BIDIRECTIONAL_CONCAT), 1, SequenceModel.Objective.MEAN_SQUARED_ERROR), new Rng(1));
        Batch<double[]> b = Batch.ofFeatureValues(3, 1, new double[6], new double[3], null);
        assertThrows(IllegalArgumentException.class, () -> GradientFlow.measure(bi, b, GradientFlow.Config.defaults()));
        SequenceModel<double[]> m = model(ElmanTestCell.PROVIDER, 2, 3, 1, SequenceModel.Objective.MEAN_SQUARED_ERROR, 1, 1);
        // every row padded: no loss counts
        Batch<double[]> empty = Batch.ofFeatureValues(3, 1, new double[6], new double[3], Mask.ofLengths(3, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> GradientFlow.measure(m, empty, GradientFlow.Config.defaults()));
        assertThrows(io.github.rnnlab.cell.CellConfig.InvalidConfigException.class, () -> GradientFlow.Config.defaults().withJacobians(-1, 1));
        assertThrows(io.github.rnnlab.ShapeException.class, () -> GradientFlow.measure(m, Batch.ofFeatureValues(3, 1, new double[5], new double[3], null),
                GradientFlow.Config.defaults()));
    }
}
