package io.github.rnnlab.generate;

import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {

    private static <A> SequenceModel<A> tokenModel(io.github.rnnlab.numeric.Ops<A> ops, long seed) {
        return SequenceModel.create(ops, LeakyTestCell.PROVIDER, new SequenceModel.Config(new SequenceModel.Tokens(9, 5),
                new RecurrentConfig(5, 8).withLayers(2), 9, SequenceModel.Objective.CROSS_ENTROPY), new Rng(seed));
    }

    @Test
    void streamingStepsEqualTheWholeSequence() {
        int steps = 12, batch = 3;
        int[] tokens = new int[steps * batch];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 7 + 3) % 9;
        }
        // float64: bit-identical; float32: the same to float rounding of a differently blocked GEMM at most.
        SequenceModel<double[]> m = tokenModel(F64Ops.INSTANCE, 1);
        m.forward(Batch.ofTokens(steps, batch, tokens, null, null), null, Pass.inference());
        double[] whole = Arrays.copyOf(m.predictions(), steps * batch * 9);
        double[] wholeState = Arrays.copyOf(m.finalState(), m.stateLength(batch));
        SequenceModel<double[]>.Stream s = m.stream(batch);
        for (int t = 0; t < steps; t++) {
            double[] p = s.step(Arrays.copyOfRange(tokens, t * batch, (t + 1) * batch));
            assertArrayEquals(Arrays.copyOfRange(whole, t * batch * 9, (t + 1) * batch * 9), Arrays.copyOf(p, batch * 9), 0.0, "step " + t);
        }
        assertArrayEquals(wholeState, Arrays.copyOf(s.state(), wholeState.length), 0.0);

        SequenceModel<float[]> f = tokenModel(F32Ops.standard(), 1);
        f.forward(Batch.ofTokens(steps, batch, tokens, null, null), null, Pass.inference());
        float[] wholeF = Arrays.copyOf(f.predictions(), steps * batch * 9);
        SequenceModel<float[]>.Stream sf = f.stream(batch);
        for (int t = 0; t < steps; t++) {
            float[] p = sf.step(Arrays.copyOfRange(tokens, t * batch, (t + 1) * batch));
            assertArrayEquals(Arrays.copyOfRange(wholeF, t * batch * 9, (t + 1) * batch * 9), Arrays.copyOf(p, batch * 9), 1e-5f, "step " + t);
        }
        // Streaming in pieces with a carried state: the state after two halves is the state after the whole.
        sf.reset();
        for (int t = 0; t < steps; t++) {
            sf.step(Arrays.copyOfRange(tokens, t * batch, (t + 1) * batch));
        }
        f.forward(Batch.ofTokens(steps, batch, tokens, null, null), null, Pass.inference());
        assertArrayEquals(Arrays.copyOf(f.finalState(), f.stateLength(batch)), Arrays.copyOf(sf.state(), f.stateLength(batch)), 1e-5f);
    }

    @Test
    void generationIsReproducibleFromASeed() {
        SequenceModel<float[]> m = tokenModel(F32Ops.standard(), 2);
        Generator<float[]> g = new Generator<>(m);
        int[] prompt = {1, 2, 3};
        for (Sampling s : new Sampling[]{Sampling.temperature(1.0), Sampling.topK(3, 0.8), Sampling.temperature(2.5)}) {
            int[] a = g.generate(prompt, 40, s, new Rng(5));
            int[] b = g.generate(prompt, 40, s, new Rng(5));
            int[] c = g.generate(prompt, 40, s, new Rng(6));
            assertArrayEquals(a, b, s.toString());
            assertFalse(Arrays.equals(a, c), "another seed should give another sample for " + s);
        }
        int[] greedy = g.generate(prompt, 20, Sampling.greedy(), new Rng(1));
        assertArrayEquals(greedy, g.generate(prompt, 20, Sampling.greedy(), new Rng(99)));
    }

    @Test
    void greedyGenerationFeedsThePredictionBack() {
        // Check against running the growing sequence from scratch at every step (no stream).
        SequenceModel<double[]> m = tokenModel(F64Ops.INSTANCE, 3);
        int[] prompt = {4, 0};
        int[] gen = new Generator<>(m).generate(prompt, 8, Sampling.greedy(), new Rng(0));
        int[] seq = Arrays.copyOf(prompt, prompt.length + gen.length);
        for (int i = 0; i < gen.length; i++) {
            int len = prompt.length + i;
            m.forward(Batch.ofTokens(len, 1, Arrays.copyOf(seq, len), null, null), null, Pass.inference());
            int next = F64Ops.INSTANCE.argmax(9, m.predictions(), (len - 1) * 9);
            assertEquals(next, gen[i], "token " + i);
            seq[len] = next;
        }
    }

    @Test
    void samplingFollowsTemperatureAndTopK() {
        F64Ops ops = F64Ops.INSTANCE;
        double[] z = {2.0, 1.0, 0.0, -1.0};
        assertEquals(0, Sampling.greedy().choose(ops, z, 0, 4, new Rng(0)));
        Rng r = new Rng(11);
        int[] counts = new int[4];
        int n = 20000;
        for (int i = 0; i < n; i++) {
            counts[Sampling.temperature(1).choose(ops, z, 0, 4, r)]++;
        }
        double total = Math.exp(2) + Math.exp(1) + 1 + Math.exp(-1);
        for (int k = 0; k < 4; k++) {
            assertEquals(Math.exp(z[k]) / total, counts[k] / (double) n, 0.015, "class " + k);
        }
        int[] top2 = new int[4];
        for (int i = 0; i < n; i++) {
            top2[Sampling.topK(2, 1).choose(ops, z, 0, 4, r)]++;
        }
        assertEquals(0, top2[2] + top2[3]);
        assertEquals(Math.exp(2) / (Math.exp(2) + Math.exp(1)), top2[0] / (double) n, 0.015);
        // A low temperature concentrates on the argmax.
        int hits = 0;
        for (int i = 0; i < 1000; i++) {
            hits += Sampling.temperature(0.05).choose(ops, z, 0, 4, r) == 0 ? 1 : 0;
        }
        assertTrue(hits > 990);
        assertThrows(io.github.rnnlab.RnnlabException.class, () -> Sampling.temperature(-1));
    }

    @Test
    void valuesAreFedBack() {
        SequenceModel<double[]> m = SequenceModel.create(F64Ops.INSTANCE, ElmanTestCell.PROVIDER, new SequenceModel.Config(
                new SequenceModel.Features(2), new RecurrentConfig(2, 6), 2, SequenceModel.Objective.MEAN_SQUARED_ERROR), new Rng(4));
        double[] prompt = {0.1, 0.2, -0.3, 0.4};
        double[] out = new Generator<>(m).continueValues(prompt, 2, 3);
        // By hand: run prompt + fed-back values as one sequence; predictions must match.
        double[] seq = {0.1, 0.2, -0.3, 0.4, out[0], out[1], out[2], out[3]};
        m.forward(Batch.ofFeatures(4, 1, seq, null, null), null, Pass.inference());
        for (int i = 0; i < 6; i++) {
            assertEquals(m.predictions()[2 + i], out[i], 1e-12);
        }
        assertNotEquals(out[0], out[2]);
    }

    @Test
    void bidirectionalModelsCannotStream() {
        SequenceModel<double[]> m = SequenceModel.create(F64Ops.INSTANCE, ElmanTestCell.PROVIDER, new SequenceModel.Config(
                new SequenceModel.Tokens(4, 2), new RecurrentConfig(2, 3).withDirections(io.github.rnnlab.nn.Directions.BIDIRECTIONAL_CONCAT), 4,
                SequenceModel.Objective.CROSS_ENTROPY), new Rng(4));
        assertThrows(IllegalStateException.class, () -> m.stream(1));
        assertThrows(IllegalStateException.class, () -> new Generator<>(m));
        Slice.of(new double[1]);
    }
}
