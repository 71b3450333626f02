package io.github.rnnlab.ssm;

import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.io.SafetensorsReader;
import io.github.rnnlab.io.SafetensorsWriter;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.Mask;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceClassifier;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.train.Bptt;
import io.github.rnnlab.train.Trainer;
import io.github.rnnlab.train.TruncatedBptt;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SSM in the engine, with no special case for it: stacks, both directions, padding, the
 * many-to-one classifier, streaming, training, and the parameter names a checkpoint carries. The
 * gradient checks run in float64 through the whole model (embedding or features, every layer and
 * direction, head) on a team of 2 with {@code scan=parallel}, so the parallel scan is inside the
 * checked stack.
 */
class SsmStackTest {
    private static final WorkerTeam TEAM = new WorkerTeam(2);
    private static final Ops<double[]> F64_TEAM = new TeamOps<>(F64Ops.INSTANCE, TEAM);
    private static final Map<String, String> OPTIONS = Map.of(SsmProvider.STATE_SIZE, "2", SsmProvider.SCAN, "parallel");

    @AfterAll
    static void closeTeam() {
        TEAM.close();
    }

    @ParameterizedTest
    @EnumSource(Directions.class)
    void twoLayerStackGradientMatchesFiniteDifferences(Directions dirs) {
        int steps = 6, batch = 3, in = 3, hidden = 3, outputs = 2;
        Rng rng = new Rng(21);
        SequenceModel<double[]> m = SequenceModel.create(F64_TEAM, new SsmProvider(), new SequenceModel.Config(
                new SequenceModel.Features(in), new RecurrentConfig(in, hidden, 2, dirs, 0, OPTIONS), outputs,
                SequenceModel.Objective.MEAN_SQUARED_ERROR), rng);
        sharpen(m.parameters(), rng);
        double[] x = uniform(rng, steps * batch * in, 1);
        double[] y = uniform(rng, steps * batch * outputs, 1);
        Batch<double[]> b = Batch.ofFeatureValues(steps, batch, x, y, Mask.ofLengths(steps, new int[]{6, 2, 5}));
        double[] h0 = uniform(rng, m.stateLength(batch), 0.5);
        double scale = m.meanScale(m.countedPositions(b, 0, steps));
        m.parameters().zeroGradients();
        m.forward(b, Slice.of(h0), Pass.training(0));
        m.loss(0, scale, true);
        m.backward(null, true, true);
        double[] pg = m.parameters().gradients().clone();
        double[] xg = Arrays.copyOf(m.inputGradient(), x.length);
        double[] hg = Arrays.copyOf(m.initialStateGradient(), h0.length);
        DoubleSupplier loss = () -> {
            m.forward(b, Slice.of(h0), Pass.inference());
            return m.loss(0, scale, false);
        };
        List<String> failures = new ArrayList<>();
        for (Parameters.Block blk : m.parameters().blocks()) {
            check(blk.name(), m.parameters().values(), blk.offset(), blk.size(), pg, blk.offset(), loss, failures);
        }
        check("input", x, 0, x.length, xg, 0, loss, failures);
        check("h0", h0, 0, h0.length, hg, 0, loss, failures);
        assertEquals(List.of(), failures);
        assertTrue(Arrays.stream(m.parameters().gradient("rnn.A_log_l0")).anyMatch(v -> v != 0));
        if (dirs != Directions.FORWARD) {
            assertTrue(Arrays.stream(m.parameters().gradient("rnn.A_log_l1_reverse")).anyMatch(v -> v != 0));
        }
        // padded positions (row 1 after step 2) get no gradient
        for (int t = 2; t < steps; t++) {
            for (int j = 0; j < in; j++) {
                assertEquals(0.0, xg[(t * batch + 1) * in + j], 0.0);
            }
        }
    }

    /**
     * The classifier reads each direction's final output, not the first H elements of the H·N state:
     * its logits are the head applied to {@code rnn.finalOutput}; and its gradient is right through
     * a two-layer bidirectional SSM.
     */
    @ParameterizedTest
    @EnumSource(value = Directions.class, names = {"BIDIRECTIONAL_CONCAT", "BIDIRECTIONAL_SUM"})
    void classifierSummarisesFinalOutputsAndItsGradientIsRight(Directions dirs) {
        int steps = 5, batch = 4, in = 3, hidden = 3, classes = 3;
        Rng rng = new Rng(8);
        SequenceClassifier<double[]> c = SequenceClassifier.create(F64_TEAM, new SsmProvider(), new SequenceClassifier.Config(
                new SequenceModel.Features(in), new RecurrentConfig(in, hidden, 2, dirs, 0, OPTIONS), classes), rng);
        sharpen(c.parameters(), rng);
        double[] x = uniform(rng, steps * batch * in, 1);
        Batch<double[]> b = Batch.ofFeatures(steps, batch, x, null, Mask.ofLengths(steps, new int[]{5, 2, 4, 1}));
        int[] labels = {0, 2, 1, 2};
        double[] h0 = uniform(rng, c.rnn().stateLength(batch), 0.5);

        double[] logits = c.forward(b, Slice.of(h0), Pass.inference()).clone();
        int w = c.rnn().outputSize();
        double[] summary = new double[batch * w];
        c.rnn().finalOutput(summary, 0);
        double[] hw = c.parameters().get("head.weight"), hb = c.parameters().get("head.bias");
        for (int r = 0; r < batch; r++) {
            for (int k = 0; k < classes; k++) {
                double z = hb[k];
                for (int j = 0; j < w; j++) {
                    z += hw[k * w + j] * summary[r * w + j];
                }
                assertEquals(z, logits[r * classes + k], 1e-12, "logit " + k + " of row " + r);
            }
        }

        c.parameters().zeroGradients();
        c.lossAndGradient(b, labels, Slice.of(h0), 0);
        double[] pg = c.parameters().gradients().clone();
        double[] xg = Arrays.copyOf(c.inputGradient(), x.length);
        double[] hg = Arrays.copyOf(c.initialStateGradient(), h0.length);
        DoubleSupplier loss = () -> c.evaluate(b, labels, Slice.of(h0));
        List<String> failures = new ArrayList<>();
        for (Parameters.Block blk : c.parameters().blocks()) {
            check(blk.name(), c.parameters().values(), blk.offset(), blk.size(), pg, blk.offset(), loss, failures);
        }
        check("input", x, 0, x.length, xg, 0, loss, failures);
        check("h0", h0, 0, h0.length, hg, 0, loss, failures);
        assertEquals(List.of(), failures);
    }

    /** Streaming one step at a time through a two-layer stack equals the whole sequence at once. */
    @Test
    void streamingEqualsTheWholeSequence() {
        int steps = 40, batch = 2, vocab = 5;
        SequenceModel<float[]> m = SequenceModel.create(F32Ops.with(TEAM), new SsmProvider(), new SequenceModel.Config(
                new SequenceModel.Tokens(vocab, 4), new RecurrentConfig(4, 6, 2, Directions.FORWARD, 0,
                Map.of(SsmProvider.STATE_SIZE, "3")), vocab, SequenceModel.Objective.CROSS_ENTROPY), new Rng(2));
        Rng rng = new Rng(3);
        int[] tokens = new int[steps * batch];
        Arrays.setAll(tokens, i -> rng.nextInt(vocab));
        m.forward(Batch.ofTokens(steps, batch, tokens, null, null), null, Pass.inference()); // batch 2 on a team of 2
        float[] whole = Arrays.copyOf(m.predictions(), steps * batch * vocab);
        SequenceModel<float[]>.Stream stream = m.stream(batch);
        for (int t = 0; t < steps; t++) {
            float[] p = stream.step(Arrays.copyOfRange(tokens, t * batch, (t + 1) * batch));
            for (int i = 0; i < batch * vocab; i++) {
                assertEquals(whole[t * batch * vocab + i], p[i], 1e-5f * (1 + Math.abs(whole[t * batch * vocab + i])),
                        "step " + t + " element " + i);
            }
        }
    }

    /**
     * A tiny SSM language model learns a delayed echo (predict the token of the previous step) in a
     * few hundred float32 updates on a team of 2: a real training loop with Adam, clipping and BPTT.
     * Threshold: ≥ 90% of positions on fresh data (chance is 25%).
     */
    @Test
    void trainsToEchoTheInputWithADelay() {
        int v = 4, steps = 12, batch = 16;
        F32Ops ops = F32Ops.with(TEAM);
        SequenceModel<float[]> m = SequenceModel.create(ops, new SsmProvider(), new SequenceModel.Config(
                new SequenceModel.Tokens(v, 8), new RecurrentConfig(8, 16, 1, Directions.FORWARD, 0,
                Map.of(SsmProvider.STATE_SIZE, "4")), v, SequenceModel.Objective.CROSS_ENTROPY), new Rng(1));
        Trainer tr = new Trainer(m.parameters(), new Adam(Adam.Config.adam()),
                Trainer.Config.of(new LearningRate.Constant(0.02)).withClipNorm(1), new Rng(2));
        TruncatedBptt<float[]> bptt = new TruncatedBptt<>(m, Bptt.full());
        Rng data = new Rng(3);
        double first = Double.NaN, loss = Double.NaN;
        for (int i = 0; i < 300; i++) {
            loss = tr.train(bptt, echo(data, v, steps, batch), null);
            first = i == 0 ? loss : first;
        }
        Batch<float[]> test = echo(new Rng(99), v, steps, 64);
        m.forward(test, null, Pass.inference());
        int right = 0, total = 0;
        for (int i = 64; i < steps * 64; i++) {
            right += ops.argmax(v, m.predictions(), i * v) == test.targets()[i] ? 1 : 0;
            total++;
        }
        double acc = right / (double) total;
        assertTrue(acc >= 0.9, String.format(Locale.ROOT, "delayed echo accuracy %.3f (loss %.3f → %.3f)", acc, first, loss));
    }

    private static Batch<float[]> echo(Rng r, int v, int steps, int batch) {
        int[] x = new int[steps * batch];
        int[] y = new int[steps * batch];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(v);
            y[i] = i < batch ? -1 : x[i - batch];
        }
        return Batch.ofTokens(steps, batch, x, y, null);
    }

    /** A bidirectional two-layer classifier trains: its loss on a fixed batch falls by half within 60 updates. */
    @Test
    void aBidirectionalClassifierTrains() {
        int steps = 10, batch = 16, v = 5;
        SequenceClassifier<float[]> c = SequenceClassifier.create(F32Ops.with(TEAM), new SsmProvider(), new SequenceClassifier.Config(
                new SequenceModel.Tokens(v, 6), new RecurrentConfig(6, 8, 2, Directions.BIDIRECTIONAL_CONCAT, 0,
                Map.of(SsmProvider.STATE_SIZE, "4")), 2), new Rng(4));
        Trainer tr = new Trainer(c.parameters(), new Adam(Adam.Config.adam()),
                Trainer.Config.of(new LearningRate.Constant(0.01)).withClipNorm(1), new Rng(5));
        Rng data = new Rng(6);
        int[] tokens = new int[steps * batch];
        int[] lengths = new int[batch];
        int[] labels = new int[batch];
        for (int r = 0; r < batch; r++) {
            lengths[r] = 4 + data.nextInt(steps - 3);
            for (int t = 0; t < steps; t++) {
                tokens[t * batch + r] = data.nextInt(v);
            }
            labels[r] = tokens[r] < 2 ? 1 : 0; // the class is written in the first token
        }
        Batch<float[]> b = Batch.ofTokens(steps, batch, tokens, null, Mask.ofLengths(steps, lengths));
        double first = c.evaluate(b, labels, null);
        for (int i = 0; i < 60; i++) {
            tr.step(() -> c.lossAndGradient(b, labels, tr.rng().nextLong()));
        }
        double last = c.evaluate(b, labels, null);
        assertTrue(last < 0.5 * first, "loss " + first + " → " + last);
    }

    /**
     * What a checkpoint holds: PyTorch-style names with the layer and direction suffixes, the cell and
     * its options in the metadata, and a model rebuilt from the file computes the same outputs.
     */
    @Test
    void parametersRoundTripThroughSafetensorsByName() throws Exception {
        RecurrentConfig rc = new RecurrentConfig(3, 4, 2, Directions.BIDIRECTIONAL_CONCAT, 0, Map.of(SsmProvider.STATE_SIZE, "2"));
        SequenceModel.Config config = new SequenceModel.Config(new SequenceModel.Features(3), rc, 2, SequenceModel.Objective.MEAN_SQUARED_ERROR);
        SequenceModel<float[]> a = SequenceModel.create(F32Ops.standard(), new SsmProvider(), config, new Rng(1));
        SafetensorsWriter w = new SafetensorsWriter().metadata("cell", "ssm").metadata("state_size", "2");
        for (Parameters.Block blk : a.parameters().blocks()) {
            w.add(blk.name(), blk.shape(), a.parameters().values(), blk.offset());
        }
        List<String> names = a.parameters().blocks().stream().map(Parameters.Block::name).toList();
        assertEquals(List.of("rnn.weight_u_l0", "rnn.bias_u_l0", "rnn.weight_dt_l0", "rnn.bias_dt_l0", "rnn.weight_B_l0",
                "rnn.weight_C_l0", "rnn.weight_z_l0", "rnn.bias_z_l0", "rnn.A_log_l0", "rnn.D_l0"), names.subList(0, 10));
        assertTrue(names.contains("rnn.A_log_l1_reverse"));
        assertEquals(List.of(4, 8), Arrays.stream(a.parameters().block("rnn.weight_u_l1").shape()).boxed().toList());

        SequenceModel<float[]> b = SequenceModel.create(F32Ops.standard(), new SsmProvider(), config, new Rng(2));
        try (SafetensorsReader r = SafetensorsReader.of(w.toBytes())) {
            assertEquals("ssm", r.metadata().get("cell"));
            for (Parameters.Block blk : b.parameters().blocks()) {
                r.readFloats(blk.name(), b.parameters().values(), blk.offset());
            }
        }
        float[] x = new float[5 * 2 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        Batch<float[]> batch = Batch.ofFeatureValues(5, 2, x, new float[5 * 2 * 2], null);
        a.forward(batch, null, Pass.inference());
        float[] pa = a.predictions().clone();
        b.forward(batch, null, Pass.inference());
        assertArrayEquals(Arrays.copyOf(pa, 20), Arrays.copyOf(b.predictions(), 20));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Larger time steps and decays than the default init, so that every block carries gradient. */
    private static void sharpen(Parameters<double[]> p, Rng rng) {
        for (Parameters.Block blk : p.blocks()) {
            if (blk.name().contains("bias_dt") || blk.name().contains("bias_u") || blk.name().contains("bias_z")) {
                double[] v = new double[blk.size()];
                Arrays.setAll(v, i -> rng.uniform(-1, 1));
                p.set(blk.name(), v);
            }
        }
    }

    private static double[] uniform(Rng rng, int n, double bound) {
        double[] a = new double[n];
        Arrays.setAll(a, i -> rng.uniform(-bound, bound));
        return a;
    }

    /** Central differences (ε = 1e-6) against the analytic gradient, |a − n| ≤ 1e-5 + 1e-3·|n| (REFERENCE.md §3). */
    private static void check(String name, double[] target, int off, int len, double[] analytic, int aOff,
                              DoubleSupplier loss, List<String> failures) {
        double eps = 1e-6;
        for (int i = 0; i < len; i++) {
            double w = target[off + i];
            target[off + i] = w + eps;
            double plus = loss.getAsDouble();
            target[off + i] = w - eps;
            double minus = loss.getAsDouble();
            target[off + i] = w;
            double numeric = (plus - minus) / (2 * eps), a = analytic[aOff + i];
            if (!(Math.abs(a - numeric) <= 1e-5 + 1e-3 * Math.abs(numeric))) {
                failures.add(String.format(Locale.ROOT, "%s[%d]: analytic %.9g, numeric %.9g", name, i, a, numeric));
            }
        }
    }
}
