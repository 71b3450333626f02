package io.github.rnnlab.cells;

import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Mask;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 fast path of the built-in cells on the shapes where a time step is split across a team:
 * by rows (batches of 16 and more, with the per-step input projection) and by hidden units (smaller
 * batches, e.g. one streamed sequence), with padded rows. A training step (forward, mean
 * cross-entropy, backward) and an inference pass must give bit-identical logits, loss and gradients on
 * 1, 2 and 3 threads (every element is computed with the same operations whatever the split; a split
 * by units runs the forward time loop as one team task whose members meet after each step, also when a
 * member has no units), inference the training pass's logits exactly, and agree with the float64
 * reference path.
 */
class StepSplitTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (CellProvider p : List.of(new LstmProvider(), new GruProvider(), new RnnTanhProvider(), new RnnReluProvider())) {
            out.add(Arguments.of(p, 20, 7, 72, 5));  // rows: 20 rows, 10 per member, projection per step
            out.add(Arguments.of(p, 1, 9, 192, 6));  // units: one sequence, H split in grains of 32
            out.add(Arguments.of(p, 3, 5, 112, 4));  // units: H not a multiple of the grain
            out.add(Arguments.of(p, 1, 4, 64, 5));   // units: two grains, so on three threads one member has none
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} B={1} n={2} H={3} T={4}")
    @MethodSource("cases")
    void trainingStepIsIdenticalOnOneTwoAndThreeThreadsAndAgreesWithFloat64(CellProvider cell, int batch, int input, int hidden,
                                                                            int steps) {
        SplittableRandom r = new SplittableRandom(batch * 31L + hidden);
        double[] x = new double[steps * batch * input];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * r.nextDouble() - 1;
        }
        int[] y = new int[steps * batch];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(5);
        }
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = b % 3 == 2 ? steps - 2 : steps; // some rows padded at the end
        }
        Mask mask = Mask.ofLengths(steps, lengths);
        float[][] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (WorkerTeam team = new WorkerTeam(threads)) {
                float[][] got = run(F32Ops.with(team), cell, batch, input, hidden, steps, x, y, mask);
                if (first == null) {
                    first = got;
                } else {
                    for (int k = 0; k < got.length; k++) {
                        assertArrayEquals(first[k], got[k], "part " + k + " on " + threads + " threads vs 1");
                    }
                }
            }
        }
        float[][] f32 = first;
        double[][] ref = run(F64Ops.INSTANCE, cell, batch, input, hidden, steps, x, y, mask);
        for (int k = 0; k < ref.length; k++) {
            double scale = 1e-30;
            for (double v : ref[k]) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < ref[k].length; i++) {
                double d = Math.abs(f32[k][i] - ref[k][i]) / scale;
                int part = k, at = i;
                assertTrue(d <= 1e-4, () -> "part " + part + "[" + at + "]: float32 " + f32[part][at] + " vs float64 " + ref[part][at]);
            }
        }
    }

    /** Logits, then loss (one element), then every parameter gradient, in the precision of {@code ops}. */
    @SuppressWarnings("unchecked")
    private static <A> A[] run(Ops<A> ops, CellProvider cell, int batch, int input, int hidden, int steps,
                               double[] x, int[] y, Mask mask) {
        SequenceModel<A> m = SequenceModel.create(ops, cell, new SequenceModel.Config(new SequenceModel.Features(input),
                new RecurrentConfig(input, hidden), 5, SequenceModel.Objective.CROSS_ENTROPY), new Rng(3));
        A features = ops.allocate(x.length);
        ops.fromDoubles(x.length, x, 0, features, 0);
        Batch<A> data = Batch.ofFeatures(steps, batch, features, y, mask);
        m.parameters().zeroGradients();
        double loss = m.lossAndGradient(data, null, 1);
        A logits = ops.allocate(steps * batch * 5);
        ops.copy(steps * batch * 5, m.predictions(), 0, logits, 0);
        A l = ops.allocate(1);
        ops.set(l, 0, loss);
        A g = ops.allocate(m.parameters().size());
        ops.copy(m.parameters().size(), m.parameters().gradients(), 0, g, 0);
        assertEquals(m.parameters().size(), ops.length(g));
        // inference (no tape: the states alternate between two buffers) gives the training pass's logits
        m.forward(data, null, Pass.inference());
        A inferred = ops.allocate(steps * batch * 5);
        ops.copy(steps * batch * 5, m.predictions(), 0, inferred, 0);
        for (int i = 0; i < steps * batch * 5; i++) {
            assertEquals(ops.get(logits, i), ops.get(inferred, i), "inference logit " + i + " vs the training pass's");
        }
        A[] out = (A[]) java.lang.reflect.Array.newInstance(logits.getClass(), 4);
        out[0] = logits;
        out[1] = l;
        out[2] = g;
        out[3] = inferred;
        return out;
    }
}
