package io.github.rnnlab.train;

import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.generate.Generator;
import io.github.rnnlab.generate.Sampling;
import io.github.rnnlab.nn.Batch;
import io.github.rnnlab.nn.Directions;
import io.github.rnnlab.nn.Mask;
import io.github.rnnlab.nn.Pass;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.Seq2Seq;
import io.github.rnnlab.nn.SequenceClassifier;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.Rng;
import io.github.rnnlab.train.optim.Adam;
import io.github.rnnlab.train.optim.LearningRate;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The four sequence patterns, each trained on a small synthetic task until it solves it, with fixed
 * seeds and a stated success threshold (float32, the test-fixture cells). Accuracies are measured on
 * fresh data, without teacher forcing where the pattern generates.
 */
class SequencePatternsTest {
    private static final F32Ops OPS = F32Ops.standard();

    /** Many-to-many aligned: echo the input delayed by one step. Threshold: ≥ 95% of positions t ≥ 1. */
    @Test
    void manyToManyAlignedEchoesWithADelay() {
        int v = 4, steps = 12, batch = 16;
        SequenceModel<float[]> m = SequenceModel.create(OPS, ElmanTestCell.PROVIDER, new SequenceModel.Config(
                new SequenceModel.Tokens(v, 8), new RecurrentConfig(8, 24), v, SequenceModel.Objective.CROSS_ENTROPY), new Rng(1));
        Trainer tr = new Trainer(m.parameters(), new Adam(Adam.Config.adam()), Trainer.Config.of(new LearningRate.Constant(0.01)).withClipNorm(1), new Rng(2));
        TruncatedBptt<float[]> bptt = new TruncatedBptt<>(m, Bptt.full());
        Rng data = new Rng(3);
        double first = Double.NaN, loss = 0;
        for (int i = 0; i < 300; i++) {
            loss = tr.train(bptt, echo(data, v, steps, batch), null);
            first = i == 0 ? loss : first;
        }
        Batch<float[]> test = echo(new Rng(99), v, steps, 64);
        m.forward(test, null, Pass.inference());
        int right = 0, total = 0;
        for (int i = 64; i < steps * 64; i++) {
            right += OPS.argmax(v, m.predictions(), i * v) == test.targets()[i] ? 1 : 0;
            total++;
        }
        double acc = right / (double) total;
        assertTrue(acc >= 0.95, "delayed echo accuracy " + acc + " (loss " + first + " → " + loss + ")");
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

    /**
     * Many-to-one: which of two markers (0 or 1) comes first in a noisy sequence of 4–10 tokens,
     * with a bidirectional stack over padded variable-length batches. Threshold: ≥ 95%.
     */
    @Test
    void manyToOneClassifiesWhichMarkerComesFirst() {
        SequenceClassifier<float[]> c = SequenceClassifier.create(OPS, ElmanTestCell.PROVIDER, new SequenceClassifier.Config(
                new SequenceModel.Tokens(6, 8), new RecurrentConfig(8, 16).withDirections(Directions.BIDIRECTIONAL_CONCAT), 2), new Rng(4));
        Trainer tr = new Trainer(c.parameters(), new Adam(Adam.Config.adam()), Trainer.Config.of(new LearningRate.Constant(0.01)).withClipNorm(1), new Rng(5));
        Rng data = new Rng(6);
        for (int i = 0; i < 400; i++) {
            Markers b = markers(data, 32);
            tr.step(() -> c.lossAndGradient(b.batch, b.labels, tr.rng().nextLong()));
        }
        Markers test = markers(new Rng(98), 400);
        int[] pred = c.predict(test.batch);
        int right = 0;
        for (int i = 0; i < pred.length; i++) {
            right += pred[i] == test.labels[i] ? 1 : 0;
        }
        double acc = right / (double) pred.length;
        assertTrue(acc >= 0.95, "first-marker accuracy " + acc);
    }

    private record Markers(Batch<float[]> batch, int[] labels) {
    }

    private static Markers markers(Rng r, int batch) {
        int steps = 10;
        int[] lengths = new int[batch];
        int[] x = new int[steps * batch];
        int[] labels = new int[batch];
        for (int b = 0; b < batch; b++) {
            int len = 4 + r.nextInt(steps - 3);
            lengths[b] = len;
            for (int t = 0; t < steps; t++) {
                x[t * batch + b] = t < len ? 2 + r.nextInt(4) : 0;
            }
            int p = r.nextInt(len), q = r.nextInt(len - 1);
            q = q >= p ? q + 1 : q;
            x[p * batch + b] = 0;
            x[q * batch + b] = 1;
            labels[b] = p < q ? 0 : 1;
        }
        return new Markers(Batch.ofTokens(steps, batch, x, null, Mask.ofLengths(steps, lengths)), labels);
    }

    /**
     * One-to-many: from a single start symbol s, generate s+1, s+2, … (mod 10) for 8 steps, by greedy
     * generation feeding each prediction back (trained with teacher forcing). Threshold: ≥ 95% of
     * generated tokens over all 10 start symbols.
     */
    @Test
    void oneToManyCountsFromAStartSymbol() {
        int v = 10, steps = 8, batch = 16;
        SequenceModel<float[]> m = SequenceModel.create(OPS, LeakyTestCell.PROVIDER, new SequenceModel.Config(
                new SequenceModel.Tokens(v, 8), new RecurrentConfig(8, 24), v, SequenceModel.Objective.CROSS_ENTROPY), new Rng(7));
        Trainer tr = new Trainer(m.parameters(), new Adam(Adam.Config.adam()), Trainer.Config.of(new LearningRate.Constant(0.02)), new Rng(8));
        TruncatedBptt<float[]> bptt = new TruncatedBptt<>(m, Bptt.full());
        Rng data = new Rng(9);
        for (int i = 0; i < 200; i++) {
            int[] x = new int[steps * batch];
            int[] y = new int[steps * batch];
            for (int b = 0; b < batch; b++) {
                int s = data.nextInt(v);
                for (int t = 0; t < steps; t++) {
                    x[t * batch + b] = (s + t) % v;
                    y[t * batch + b] = (s + t + 1) % v;
                }
            }
            tr.train(bptt, Batch.ofTokens(steps, batch, x, y, null), null);
        }
        Generator<float[]> g = new Generator<>(m);
        int right = 0;
        for (int s = 0; s < v; s++) {
            int[] out = g.generate(new int[]{s}, steps, Sampling.greedy(), new Rng(0));
            for (int t = 0; t < steps; t++) {
                right += out[t] == (s + t + 1) % v ? 1 : 0;
            }
        }
        double acc = right / (double) (v * steps);
        assertTrue(acc >= 0.95, "counting accuracy " + acc);
    }

    /**
     * Encoder–decoder: reverse a sequence of 2–5 symbols, trained with teacher forcing and evaluated
     * by greedy decoding without it. Threshold: ≥ 95% of output tokens (end token included) right.
     */
    @Test
    void encoderDecoderReversesASequence() {
        int symbols = 6, bos = 6, eos = 7, maxLen = 5, batch = 32;
        Seq2Seq<float[]> m = Seq2Seq.create(OPS, ElmanTestCell.PROVIDER, new Seq2Seq.Config(symbols, 8, 16,
                new RecurrentConfig(16, 64), bos, eos), new Rng(10));
        Trainer tr = new Trainer(m.parameters(), new Adam(Adam.Config.adam()),
                Trainer.Config.of(new LearningRate.Warmup(50, 0.1, new LearningRate.Cosine(0.01, 1200, 0.001))).withClipNorm(1), new Rng(11));
        Rng data = new Rng(12);
        for (int i = 0; i < 1200; i++) {
            Reversal r = reversal(data, batch, symbols, eos, maxLen);
            tr.step(() -> m.lossAndGradient(maxLen, batch, r.source, r.sourceMask, maxLen + 1, r.target, r.targetMask, 0));
        }
        Reversal test = reversal(new Rng(97), 200, symbols, eos, maxLen);
        int[] out = m.decodeGreedy(maxLen, 200, test.source, test.sourceMask, maxLen + 1);
        int right = 0, total = 0;
        for (int b = 0; b < 200; b++) {
            for (int t = 0; t <= maxLen; t++) {
                if (test.targetMask.valid(t, b)) {
                    right += out[t * 200 + b] == test.target[t * 200 + b] ? 1 : 0;
                    total++;
                }
            }
        }
        double acc = right / (double) total;
        assertTrue(acc >= 0.95, "reversal token accuracy " + acc);
    }

    private record Reversal(int[] source, Mask sourceMask, int[] target, Mask targetMask) {
    }

    private static Reversal reversal(Rng r, int batch, int symbols, int eos, int maxLen) {
        int[] src = new int[maxLen * batch];
        int[] tgt = new int[(maxLen + 1) * batch];
        int[] sl = new int[batch];
        int[] tl = new int[batch];
        for (int b = 0; b < batch; b++) {
            int len = 2 + r.nextInt(maxLen - 1);
            sl[b] = len;
            tl[b] = len + 1;
            for (int t = 0; t < len; t++) {
                src[t * batch + b] = r.nextInt(symbols);
            }
            for (int t = 0; t < len; t++) {
                tgt[t * batch + b] = src[(len - 1 - t) * batch + b];
            }
            tgt[len * batch + b] = eos;
        }
        return new Reversal(src, Mask.ofLengths(maxLen, sl), tgt, Mask.ofLengths(maxLen + 1, tl));
    }

    @SuppressWarnings("unused")
    private static final Map<String, String> NO_OPTIONS = Map.of();
}
