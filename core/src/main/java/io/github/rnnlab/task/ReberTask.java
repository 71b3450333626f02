package io.github.rnnlab.task;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Rng;

/**
 * Next-symbol prediction on the embedded Reber grammar ({@link ReberGrammar#embedded()}).
 *
 * <p>Each batch row is one string {@code s₀ … s_{n−1}} (n ≤ maxLength); at step t &lt; n − 1 the input
 * is the one-hot symbol {@code s_t} (7 features) and the target is {@code s_{t+1}} (7 classes). Every
 * batch has {@code maxLength − 1} steps; a shorter string is padded at the end (mask 0, input zeros,
 * target −1, no legal symbols). Strings longer than {@code maxLength} are redrawn, so the strings
 * follow the grammar's distribution conditioned on {@code n ≤ maxLength} (for the default 32 about
 * 0.2% of the draws are redrawn).
 *
 * <p>Where the grammar branches the next symbol is a coin flip, so the metric is
 * {@link Metric#LEGAL_NEXT_SYMBOL_ACCURACY}: the arg-max prediction is correct if the grammar allows
 * it next. {@link TaskBatch#legalClasses()} holds the allowed set of every step. A perfect model
 * reaches 1; the step that needs long-range memory is the one after the inner E, where only the
 * symbol seen at step 1 is legal.
 *
 * <p>Baseline: the unigram predictor, which predicts the same distribution p at every step, p being
 * the frequency of each symbol as a target. Loss {@code H(p) = −Σ p_s ln p_s} nats; metric: the
 * fraction of steps at which its arg-max symbol is legal. Both are computed exactly (no sampling) by a
 * forward–backward pass over the automaton with the length limit, as ratios of expectations
 * (expected sum over steps ÷ expected number of steps), which is what {@link Evaluation} converges to
 * over many batches.
 *
 * <p>Drawing order per row b: a string from {@link ReberGrammar#sample}, again until its length is at
 * most maxLength.
 */
public final class ReberTask implements SequenceTask {
    /**
     * @param maxLength longest string, at least 9 (the shortest embedded Reber string); batches have
     *                  {@code maxLength − 1} steps
     * @param batchSize B ≥ 1
     */
    public record Config(int maxLength, int batchSize) {
        /** A limit that keeps nearly the whole distribution (P(n &gt; 32) ≈ 0.2%). */
        public static final int DEFAULT_MAX_LENGTH = 32;

        public Config {
            if (maxLength < MIN_LENGTH) {
                throw new ShapeException("reber task max length: expected at least " + MIN_LENGTH
                        + " (the shortest embedded Reber string), got " + maxLength);
            }
            if (maxLength > 100_000) {
                throw new ShapeException("reber task max length: expected at most 100000, got " + maxLength);
            }
            if (batchSize < 1) {
                throw new ShapeException("reber task batch size: expected at least 1, got " + batchSize);
            }
            TaskMath.checkBatchSize("reber task", maxLength, batchSize, ReberGrammar.SYMBOL_COUNT);
        }
    }

    static final int MIN_LENGTH = 9;
    private static final ReberGrammar GRAMMAR = ReberGrammar.embedded();

    private final Config config;

    public ReberTask(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /** The embedded Reber grammar the strings come from. */
    public ReberGrammar grammar() {
        return GRAMMAR;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.REBER;
    }

    /** 7: one-hot symbols. */
    @Override
    public int inputSize() {
        return ReberGrammar.SYMBOL_COUNT;
    }

    /** 7 classes: the next symbol. */
    @Override
    public int outputSize() {
        return ReberGrammar.SYMBOL_COUNT;
    }

    /** maxLength − 1. */
    @Override
    public int steps() {
        return config.maxLength() - 1;
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
        return Metric.LEGAL_NEXT_SYMBOL_ACCURACY;
    }

    @Override
    public TaskBatch sample(Rng rng) {
        int steps = steps(), batch = config.batchSize(), n7 = ReberGrammar.SYMBOL_COUNT;
        float[] inputs = new float[steps * batch * n7];
        float[] mask = new float[steps * batch];
        int[] targets = new int[steps * batch];
        int[] legal = new int[steps * batch];
        java.util.Arrays.fill(targets, -1);
        for (int b = 0; b < batch; b++) {
            int[] s;
            do {
                s = GRAMMAR.sample(rng);
            } while (s.length > config.maxLength());
            int q = GRAMMAR.start();
            for (int t = 0; t < s.length - 1; t++) {
                int i = t * batch + b;
                q = GRAMMAR.next(q, s[t]);
                inputs[i * n7 + s[t]] = 1f;
                mask[i] = 1f;
                targets[i] = s[t + 1];
                legal[i] = GRAMMAR.legalNext(q);
            }
        }
        return TaskBatch.classification(steps, batch, n7, n7, Readout.EVERY_STEP, inputs, mask, targets, legal);
    }

    /** The unigram predictor's loss and legal-next-symbol accuracy (see the class comment). */
    @Override
    public Baseline baseline() {
        double[] counts = expectedTargetCounts(GRAMMAR, config.maxLength());
        double steps = 0;
        int mode = 0;
        for (int s = 0; s < counts.length; s++) {
            steps += counts[s];
            if (counts[s] > counts[mode]) {
                mode = s;
            }
        }
        double entropy = 0;
        for (double c : counts) {
            if (c > 0) {
                entropy -= c / steps * Math.log(c / steps);
            }
        }
        double accuracy = expectedLegalSteps(GRAMMAR, config.maxLength(), mode) / steps;
        return new Baseline(entropy, accuracy, "unigram predictor: loss H(p) = -sum p ln p over target-symbol"
                + " frequencies p; accuracy = share of steps where its most frequent symbol ("
                + ReberGrammar.SYMBOLS.charAt(mode) + ") is legal; exact for strings of length <= " + config.maxLength());
    }

    /** Loss: mean cross-entropy over the real steps; metric: share of real steps whose arg-max is legal. */
    @Override
    public Evaluation evaluate(TaskBatch batch, float[] predictions) {
        TaskMath.check(this, batch, predictions);
        if (batch.legalClasses() == null) {
            throw new ShapeException("reber batch: expected the legal next symbols of every step, got none");
        }
        int c = outputSize();
        int[] y = batch.targetClasses(), legal = batch.legalClasses();
        double loss = 0;
        long n = 0, hits = 0;
        for (int i = 0; i < y.length; i++) {
            if (batch.mask() != null && batch.mask()[i] == 0f) {
                continue;
            }
            n++;
            loss += TaskMath.crossEntropy(predictions, i * c, c, y[i]);
            hits += (legal[i] >>> TaskMath.argmax(predictions, i * c, c) & 1);
        }
        return new Evaluation(loss, n, hits, n);
    }

    /**
     * Forward probabilities {@code f[j][q]} = P(state q after j symbols) and completion probabilities
     * {@code g[j][q]} = P(the string ends within {@code maxLength} symbols | state q after j symbols).
     */
    private static double[][][] forwardBackward(ReberGrammar g, int maxLength) {
        int states = g.stateCount();
        double[][] f = new double[maxLength + 1][states];
        f[0][g.start()] = 1;
        for (int j = 0; j < maxLength; j++) {
            for (int q = 0; q < states; q++) {
                if (f[j][q] == 0) {
                    continue;
                }
                int[] to = g.edgeTargets(q);
                double[] p = g.edgeProbabilities(q);
                for (int e = 0; e < to.length; e++) {
                    f[j + 1][to[e]] += f[j][q] * p[e];
                }
            }
        }
        double[][] done = new double[maxLength + 1][states];
        for (int j = maxLength; j >= 0; j--) {
            for (int q = 0; q < states; q++) {
                if (g.isFinal(q)) {
                    done[j][q] = 1;
                } else if (j < maxLength) {
                    int[] to = g.edgeTargets(q);
                    double[] p = g.edgeProbabilities(q);
                    for (int e = 0; e < to.length; e++) {
                        done[j][q] += p[e] * done[j + 1][to[e]];
                    }
                }
            }
        }
        return new double[][][] {f, done};
    }

    /**
     * E[number of times symbol s is a target] per string, strings conditioned on length ≤ maxLength.
     * Targets are the symbols at positions 1…n−1, i.e. the edges taken from the state after j ≥ 1
     * symbols.
     */
    static double[] expectedTargetCounts(ReberGrammar g, int maxLength) {
        double[][][] fb = forwardBackward(g, maxLength);
        double[][] f = fb[0], done = fb[1];
        double z = done[0][g.start()];
        double[] counts = new double[ReberGrammar.SYMBOL_COUNT];
        for (int j = 1; j < maxLength; j++) {
            for (int q = 0; q < g.stateCount(); q++) {
                int[] syms = g.edgeSymbols(q), to = g.edgeTargets(q);
                double[] p = g.edgeProbabilities(q);
                for (int e = 0; e < syms.length; e++) {
                    counts[syms[e]] += f[j][q] * p[e] * done[j + 1][to[e]] / z;
                }
            }
        }
        return counts;
    }

    /** E[number of prediction steps at which {@code symbol} is legal] per string (length ≤ maxLength). */
    static double expectedLegalSteps(ReberGrammar g, int maxLength, int symbol) {
        double[][][] fb = forwardBackward(g, maxLength);
        double[][] f = fb[0], done = fb[1];
        double z = done[0][g.start()];
        double sum = 0;
        for (int j = 1; j < maxLength; j++) {
            for (int q = 0; q < g.stateCount(); q++) {
                if (!g.isFinal(q) && (g.legalNext(q) >>> symbol & 1) == 1) {
                    sum += f[j][q] * done[j][q] / z;
                }
            }
        }
        return sum;
    }
}
