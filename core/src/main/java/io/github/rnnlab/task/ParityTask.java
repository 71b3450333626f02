package io.github.rnnlab.task;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Rng;

/**
 * Sequential parity: a sequence of T random bits (one input channel, 0 or 1, each with probability
 * ½), and after the last step the class {@code (Σ_t bit_t) mod 2} (2 classes, cross-entropy). Every bit
 * matters until the end, so the state must carry one bit of information through all T steps; flipping
 * any single input flips the target, so there is no partial credit.
 *
 * <p>Baseline: with balanced random bits the parity is a fair coin independent of any T − 1 of the
 * bits, so a model that loses any bit can do no better than accuracy ½ and loss {@code ln 2 ≈ 0.6931}
 * nats (predicting ½/½).
 *
 * <p>Drawing order per row b: T bits, t = 0…T−1, each {@code rng.nextLong() < 0} (the top bit).
 */
public final class ParityTask implements SequenceTask {
    /**
     * @param steps     T ≥ 1
     * @param batchSize B ≥ 1
     */
    public record Config(int steps, int batchSize) {
        public Config {
            if (steps < 1) {
                throw new ShapeException("parity task steps: expected at least 1, got " + steps);
            }
            if (batchSize < 1) {
                throw new ShapeException("parity task batch size: expected at least 1, got " + batchSize);
            }
            TaskMath.checkBatchSize("parity task", steps, batchSize, 2);
        }
    }

    private final Config config;

    public ParityTask(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.PARITY;
    }

    /** 1: the bit. */
    @Override
    public int inputSize() {
        return 1;
    }

    /** 2 classes: even (0) and odd (1). */
    @Override
    public int outputSize() {
        return 2;
    }

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
        return Readout.LAST_STEP;
    }

    @Override
    public Metric metric() {
        return Metric.ACCURACY;
    }

    @Override
    public TaskBatch sample(Rng rng) {
        int steps = config.steps(), batch = config.batchSize();
        float[] inputs = new float[steps * batch];
        int[] targets = new int[batch];
        for (int b = 0; b < batch; b++) {
            int parity = 0;
            for (int t = 0; t < steps; t++) {
                int bit = rng.nextLong() < 0 ? 1 : 0;
                inputs[t * batch + b] = bit;
                parity ^= bit;
            }
            targets[b] = parity;
        }
        return TaskBatch.classification(steps, batch, 1, 2, Readout.LAST_STEP, inputs, null, targets, null);
    }

    /** Loss ln 2, accuracy ½ (see the class comment). */
    @Override
    public Baseline baseline() {
        return new Baseline(Math.log(2), 0.5, "coin flip: parity is independent of any T-1 bits; loss ln 2, accuracy 1/2");
    }

    @Override
    public Evaluation evaluate(TaskBatch batch, float[] predictions) {
        TaskMath.check(this, batch, predictions);
        return TaskMath.lastStepClassification(batch, predictions);
    }
}
