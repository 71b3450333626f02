package io.github.rnnlab.task;

import io.github.rnnlab.numeric.Rng;

/**
 * A synthetic sequence task that probes long-range memory: it generates batches, knows its loss and
 * metric, scores predictions, and states the baseline a memoryless model achieves.
 *
 * <p>Generation is deterministic: {@link #sample} draws all its randomness from the {@link Rng} it is
 * given, in a documented order, so the same generator state gives the same batch on every JVM.
 * Implementations are immutable and thread-safe (the {@code Rng} is not).
 */
public interface SequenceTask {
    /** Which task this is. */
    TaskKind kind();

    /** Features per time step of the input. */
    int inputSize();

    /** Regression outputs, or the number of classes for classification. */
    int outputSize();

    /** Time steps T of every batch. */
    int steps();

    /** Rows B of every batch. */
    int batchSize();

    LossKind loss();

    Readout readout();

    Metric metric();

    /** A new batch, drawn from {@code rng}. */
    TaskBatch sample(Rng rng);

    /** The loss and metric of a model without the long-range ability; see each task for the formula. */
    Baseline baseline();

    /**
     * Scores predictions against a batch of this task.
     *
     * @param predictions {@link Readout#LAST_STEP}: (B, outputSize); {@link Readout#EVERY_STEP}:
     *                    (T, B, outputSize) — regression values for MSE, unnormalised logits for
     *                    cross-entropy (a softmax is applied here). Masked steps are ignored. Not modified.
     * @throws io.github.rnnlab.ShapeException if the predictions have the wrong length or the batch
     *         has the wrong shape for this task
     */
    Evaluation evaluate(TaskBatch batch, float[] predictions);
}
