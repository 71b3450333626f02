package io.github.rnnlab.task;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Rng;

/**
 * The adding problem (Hochreiter &amp; Schmidhuber, "Long Short-Term Memory", 1997, experiment 4; in the
 * form of Le, Jaitly &amp; Hinton 2015 and Arjovsky, Shah &amp; Bengio 2016).
 *
 * <p>Each sequence has T steps and 2 input channels: channel 0 holds a value {@code X_t ~ U[0, 1)},
 * channel 1 a marker that is 1 at exactly two steps and 0 elsewhere. The first marked step is uniform
 * in the first half {@code [0, ⌊T/2⌋)}, the second uniform in the second half {@code [⌊T/2⌋, T)}. The
 * target, read after the last step, is the sum of the two marked values (one regression output);
 * loss and metric are the MSE.
 *
 * <p>Baseline: predicting the constant 1 (the mean of the target, so the best constant) gives
 * {@code E[(X₁ + X₂ − 1)²] = Var(X₁) + Var(X₂) = 2 · 1/12 = 1/6 ≈ 0.1667}. A model beats it only by
 * remembering the marked values across the gap.
 *
 * <p>Drawing order per row b: T values (channel 0, t = 0…T−1), then the first marker position, then
 * the second.
 */
public final class AddingTask implements SequenceTask {
    /**
     * @param steps     T ≥ 2, the sequence length (the memory span is up to T − 1 steps)
     * @param batchSize B ≥ 1
     */
    public record Config(int steps, int batchSize) {
        public Config {
            if (steps < 2) {
                throw new ShapeException("adding task steps: expected at least 2 (one marker per half), got " + steps);
            }
            if (batchSize < 1) {
                throw new ShapeException("adding task batch size: expected at least 1, got " + batchSize);
            }
            TaskMath.checkBatchSize("adding task", steps, batchSize, 2);
        }
    }

    private final Config config;

    public AddingTask(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.ADDING;
    }

    /** 2: the value and the marker. */
    @Override
    public int inputSize() {
        return 2;
    }

    /** 1: the sum. */
    @Override
    public int outputSize() {
        return 1;
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
        return LossKind.MEAN_SQUARED_ERROR;
    }

    @Override
    public Readout readout() {
        return Readout.LAST_STEP;
    }

    @Override
    public Metric metric() {
        return Metric.MEAN_SQUARED_ERROR;
    }

    @Override
    public TaskBatch sample(Rng rng) {
        int steps = config.steps(), batch = config.batchSize(), half = steps / 2;
        float[] inputs = new float[steps * batch * 2];
        float[] targets = new float[batch];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                inputs[(t * batch + b) * 2] = (float) rng.nextDouble();
            }
            int first = rng.nextInt(half);
            int second = half + rng.nextInt(steps - half);
            inputs[(first * batch + b) * 2 + 1] = 1f;
            inputs[(second * batch + b) * 2 + 1] = 1f;
            // the sum of the float values the network sees, rounded once
            targets[b] = (float) ((double) inputs[(first * batch + b) * 2] + inputs[(second * batch + b) * 2]);
        }
        return TaskBatch.regression(steps, batch, 2, 1, Readout.LAST_STEP, inputs, null, targets);
    }

    /** MSE 1/6 of always predicting 1 (see the class comment); the metric is the same MSE. */
    @Override
    public Baseline baseline() {
        return new Baseline(1.0 / 6, 1.0 / 6, "predict 1: E[(X1+X2-1)^2] = Var(X1)+Var(X2) = 2/12 = 1/6 MSE");
    }

    @Override
    public Evaluation evaluate(TaskBatch batch, float[] predictions) {
        TaskMath.check(this, batch, predictions);
        return TaskMath.squaredError(batch, predictions);
    }
}
