package io.github.rnnlab.task;

/** The training loss a task is scored with. */
public enum LossKind {
    /**
     * Mean squared error over the regression targets: {@code (1/N) Σ (ŷ − y)²}, N = number of
     * target values.
     */
    MEAN_SQUARED_ERROR,
    /**
     * Softmax cross-entropy in nats over the classification targets (unmasked ones only):
     * {@code (1/N) Σ [logsumexp(z) − z_y]} for logits z and target class y.
     */
    CROSS_ENTROPY
}
