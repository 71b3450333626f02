package io.github.rnnlab.nn;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.GradientCheck;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite differences in float64 through the whole model: embedding or features, a 2-layer stack
 * (forward, bidirectional concat and sum), variable lengths (including a row of length 0 and a
 * non-prefix mask), dropout with a fixed seed (a fixed mask), the linear head and both losses;
 * every parameter block, the input, the initial state, and a final-state term in the objective.
 */
class SequenceModelGradientTest {
    private static final F64Ops OPS = F64Ops.INSTANCE;

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (CellProvider cell : List.of(ElmanTestCell.PROVIDER, LeakyTestCell.PROVIDER)) {
            for (Directions d : Directions.values()) {
                a.add(Arguments.of(cell, d, SequenceModel.Objective.CROSS_ENTROPY, false, 0.0, false));
            }
        }
        a.add(Arguments.of(ElmanTestCell.PROVIDER, Directions.BIDIRECTIONAL_CONCAT, SequenceModel.Objective.MEAN_SQUARED_ERROR, false, 0.0, false));
        a.add(Arguments.of(LeakyTestCell.PROVIDER, Directions.FORWARD, SequenceModel.Objective.MEAN_SQUARED_ERROR, false, 0.4, false));
        a.add(Arguments.of(ElmanTestCell.PROVIDER, Directions.BIDIRECTIONAL_CONCAT, SequenceModel.Objective.CROSS_ENTROPY, true, 0.4, false));
        a.add(Arguments.of(LeakyTestCell.PROVIDER, Directions.BIDIRECTIONAL_SUM, SequenceModel.Objective.CROSS_ENTROPY, true, 0.0, false));
        a.add(Arguments.of(ElmanTestCell.PROVIDER, Directions.BIDIRECTIONAL_CONCAT, SequenceModel.Objective.CROSS_ENTROPY, false, 0.0, true));
        a.add(Arguments.of(LeakyTestCell.PROVIDER, Directions.FORWARD, SequenceModel.Objective.CROSS_ENTROPY, false, 0.3, true));
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} tokens={3} dropout={4} holes={5}")
    @MethodSource("cases")
    void analyticGradientMatchesFiniteDifferences(CellProvider cell, Directions dirs, SequenceModel.Objective objective,
                                                  boolean tokens, double dropout, boolean holes) {
        int steps = 5, batch = 4, in = 3, hidden = 4, classes = 5, vocab = 6;
        Rng rng = new Rng(42);
        SequenceModel.Input input = tokens ? new SequenceModel.Tokens(vocab, in) : new SequenceModel.Features(in);
        RecurrentConfig rc = new RecurrentConfig(in, hidden, 2, dirs, dropout, Map.of());
        SequenceModel<double[]> model = SequenceModel.create(OPS, cell, new SequenceModel.Config(input, rc, classes, objective), rng);

        Mask mask;
        if (holes) {
            // A non-prefix mask: holes inside rows.
            float[] m = new float[steps * batch];
            int[][] valid = {{1, 1, 0, 1, 1}, {0, 1, 1, 0, 1}, {1, 0, 0, 0, 0}, {0, 0, 0, 0, 0}};
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    m[t * batch + b] = valid[b][t];
                }
            }
            mask = Mask.of(steps, batch, m);
        } else {
            mask = Mask.ofLengths(steps, new int[]{5, 3, 1, 0});
        }
        int rows = steps * batch;
        double[] features = new double[rows * in];
        for (int i = 0; i < features.length; i++) {
            features[i] = rng.uniform(-1, 1);
        }
        int[] toks = new int[rows];
        for (int i = 0; i < rows; i++) {
            toks[i] = rng.nextInt(vocab);
        }
        Batch<double[]> b;
        if (objective == SequenceModel.Objective.CROSS_ENTROPY) {
            int[] targets = new int[rows];
            for (int i = 0; i < rows; i++) {
                targets[i] = i % 7 == 3 ? -1 : rng.nextInt(classes);
            }
            b = tokens ? Batch.ofTokens(steps, batch, toks, targets, mask) : Batch.ofFeatures(steps, batch, features, targets, mask);
        } else {
            double[] values = new double[rows * classes];
            for (int i = 0; i < values.length; i++) {
                values[i] = rng.uniform(-1, 1);
            }
            b = tokens ? Batch.ofTokenValues(steps, batch, toks, values, mask) : Batch.ofFeatureValues(steps, batch, features, values, mask);
        }
        int stateLen = model.stateLength(batch);
        double[] h0 = new double[stateLen];
        double[] hnWeight = new double[stateLen];
        for (int i = 0; i < stateLen; i++) {
            h0[i] = rng.uniform(-0.5, 0.5);
            hnWeight[i] = rng.uniform(-1, 1);
        }
        long seed = 1234;
        int counted = model.countedPositions(b, 0, steps);
        double scale = model.meanScale(counted);
        assertTrue(counted > 0);

        // Objective: mean loss + Σ hnWeight ⊙ h_n (so that the final-state gradient path is checked too).
        java.util.function.DoubleSupplier objectiveFn = () -> {
            model.forward(b, Slice.of(h0), Pass.training(seed));
            double l = model.loss(0, scale, false);
            double[] hn = model.finalState();
            for (int i = 0; i < stateLen; i++) {
                l += hnWeight[i] * hn[i];
            }
            return l;
        };

        model.parameters().zeroGradients();
        model.forward(b, Slice.of(h0), Pass.training(seed));
        double l0 = model.loss(0, scale, true);
        model.backward(Slice.of(hnWeight), !tokens, true);
        assertTrue(Double.isFinite(l0));
        double[] paramGrad = model.parameters().gradients().clone();
        double[] inputGrad = tokens ? null : java.util.Arrays.copyOf(model.inputGradient(), rows * in);
        double[] h0Grad = java.util.Arrays.copyOf(model.initialStateGradient(), stateLen);

        GradientCheck gc = new GradientCheck();
        double[] values = model.parameters().values();
        for (Parameters.Block blk : model.parameters().blocks()) {
            gc.check(blk.name(), values, blk.offset(), blk.size(),
                    java.util.Arrays.copyOfRange(paramGrad, blk.offset(), blk.offset() + blk.size()), objectiveFn);
        }
        if (!tokens) {
            gc.check("input", features, 0, features.length, inputGrad, objectiveFn);
        }
        gc.check("h0", h0, 0, stateLen, h0Grad, objectiveFn);
        assertEquals(List.of(), gc.failures(), "worst ratio " + gc.worstRatio());
        assertTrue(gc.checked() > 150, "checked " + gc.checked());

        // The gradient is not trivially zero anywhere it should not be: every block has a non-zero entry.
        for (Parameters.Block blk : model.parameters().blocks()) {
            boolean nonZero = false;
            for (int i = 0; i < blk.size(); i++) {
                nonZero |= paramGrad[blk.offset() + i] != 0;
            }
            assertTrue(nonZero, blk.name() + " has an all-zero gradient");
        }
        // Padded positions get no input gradient.
        if (!tokens) {
            for (int t = 0; t < steps; t++) {
                for (int r = 0; r < batch; r++) {
                    if (!mask.valid(t, r)) {
                        for (int j = 0; j < in; j++) {
                            assertEquals(0.0, inputGrad[(t * batch + r) * in + j], "input gradient at padded step " + t + " row " + r);
                        }
                    }
                }
            }
        }
    }
}
