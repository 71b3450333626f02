package io.github.rnnlab.task;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Rng;

/**
 * The copy-memory task (Hochreiter &amp; Schmidhuber 1997; in the form of Arjovsky, Shah &amp; Bengio,
 * "Unitary Evolution Recurrent Neural Networks", 2016, §4.1).
 *
 * <p>Symbols: 0 = blank, 1…a = the alphabet (a = 8 in the paper), a + 1 = delimiter. A sequence has
 * {@code T + 2k} steps: k random symbols from the alphabet, T − 1 blanks, the delimiter, then k
 * blanks. The target is blank for the first T + k steps, then the k symbols in their original order:
 * the network must hold k symbols across T steps and play them back after the delimiter.
 * Inputs are one-hot over a + 2 symbols; outputs are logits over a + 1 classes (blank and the
 * alphabet; the delimiter is never a target). Per-step cross-entropy over all T + 2k steps.
 *
 * <pre>
 * step    0 … k−1     k … k+T−2   k+T−1       k+T … T+2k−1
 * input   s₁ … s_k    blank       delimiter   blank
 * target  blank       blank       blank       s₁ … s_k
 * </pre>
 *
 * <p>Baseline (the paper's): predict blank with certainty for the first T + k steps (loss 0) and a
 * uniform guess over the alphabet for the last k (loss ln a each), so the mean loss is
 * {@code k · ln a / (T + 2k)}; the recall accuracy ({@link Metric#RECALL_ACCURACY}) of a uniform guess
 * is {@code 1/a}.
 *
 * <p>Drawing order per row b: the k symbols in order, each {@code 1 + rng.nextInt(a)}.
 */
public final class CopyTask implements SequenceTask {
    /**
     * @param delay     T ≥ 1, the number of steps between the last symbol and the first recall step
     *                  minus k (the blanks plus the delimiter)
     * @param length    k ≥ 1 symbols to remember
     * @param alphabet  a ≥ 2 distinct symbols
     * @param batchSize B ≥ 1
     */
    public record Config(int delay, int length, int alphabet, int batchSize) {
        /** k in the paper. */
        public static final int DEFAULT_LENGTH = 10;
        /** a in the paper. */
        public static final int DEFAULT_ALPHABET = 8;

        public Config {
            if (delay < 1) {
                throw new ShapeException("copy task delay: expected at least 1, got " + delay);
            }
            if (length < 1) {
                throw new ShapeException("copy task length: expected at least 1 symbol, got " + length);
            }
            if (alphabet < 2) {
                throw new ShapeException("copy task alphabet: expected at least 2 symbols, got " + alphabet);
            }
            if (batchSize < 1) {
                throw new ShapeException("copy task batch size: expected at least 1, got " + batchSize);
            }
            TaskMath.checkBatchSize("copy task", (long) delay + 2L * length, batchSize, alphabet + 2L);
            if ((long) delay + 2L * length > Integer.MAX_VALUE / 4) {
                throw new ShapeException("copy task sequence length T+2k: expected at most " + Integer.MAX_VALUE / 4
                        + ", got " + ((long) delay + 2L * length));
            }
        }

        /** T + 2k. */
        public int steps() {
            return delay + 2 * length;
        }
    }

    private final Config config;

    public CopyTask(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.COPY;
    }

    /** a + 2: blank, the alphabet, the delimiter. */
    @Override
    public int inputSize() {
        return config.alphabet() + 2;
    }

    /** a + 1: blank and the alphabet. */
    @Override
    public int outputSize() {
        return config.alphabet() + 1;
    }

    /** T + 2k. */
    @Override
    public int steps() {
        return config.steps();
    }

    @Override
    public int batchSize() {
        return config.batchSize();
    }

    @Override
    public LossKind loss() {
        return LossKind.CROSS_ENTROPY;
    }

    @Override
    public Readout readout() {
        return Readout.EVERY_STEP;
    }

    @Override
    public Metric metric() {
        return Metric.RECALL_ACCURACY;
    }

    /** The delimiter's input symbol, a + 1. */
    public int delimiter() {
        return config.alphabet() + 1;
    }

    /** First recall step, T + k. */
    public int firstRecallStep() {
        return config.delay() + config.length();
    }

    @Override
    public TaskBatch sample(Rng rng) {
        int k = config.length(), steps = config.steps(), batch = config.batchSize();
        int in = inputSize();
        float[] inputs = new float[steps * batch * in];
        int[] targets = new int[steps * batch]; // 0 = blank everywhere except the recall steps
        int delimiterStep = k + config.delay() - 1, recall = firstRecallStep();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < k; t++) {
                int symbol = 1 + rng.nextInt(config.alphabet());
                inputs[(t * batch + b) * in + symbol] = 1f;
                targets[(recall + t) * batch + b] = symbol;
            }
            for (int t = k; t < steps; t++) {
                inputs[(t * batch + b) * in + (t == delimiterStep ? delimiter() : 0)] = 1f;
            }
        }
        return TaskBatch.classification(steps, batch, in, outputSize(), Readout.EVERY_STEP, inputs, null, targets, null);
    }

    /** Loss {@code k·ln(a)/(T+2k)}, recall accuracy {@code 1/a} (see the class comment). */
    @Override
    public Baseline baseline() {
        int k = config.length(), a = config.alphabet();
        return new Baseline(k * Math.log(a) / config.steps(), 1.0 / a,
                "blanks then a uniform guess: k*ln(a)/(T+2k) = " + k + "*ln(" + a + ")/" + config.steps()
                        + "; recall accuracy 1/a");
    }

    /** Loss: mean cross-entropy over all T + 2k steps; metric: accuracy over the k recall steps. */
    @Override
    public Evaluation evaluate(TaskBatch batch, float[] predictions) {
        TaskMath.check(this, batch, predictions);
        ShapeException.check("copy batch steps (T+2k)", config.steps(), batch.steps());
        int c = outputSize(), rows = batch.batch(), recall = firstRecallStep();
        int[] y = batch.targetClasses();
        double loss = 0;
        long correct = 0;
        for (int i = 0; i < y.length; i++) {
            loss += TaskMath.crossEntropy(predictions, i * c, c, y[i]);
            if (i / rows >= recall && TaskMath.argmax(predictions, i * c, c) == y[i]) {
                correct++;
            }
        }
        return new Evaluation(loss, y.length, correct, (long) config.length() * rows);
    }
}
