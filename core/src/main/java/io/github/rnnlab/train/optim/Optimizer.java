package io.github.rnnlab.train.optim;

/**
 * Updates a flat parameter vector from its gradient, one step at a time, as {@code torch.optim} does
 * for a single parameter group. The learning rate is passed to every step (from a
 * {@link LearningRate} schedule). The whole state (step count and buffers) is exposed by
 * {@link #state()} and restored bit for bit by {@link #restore}, for checkpoints.
 */
public interface Optimizer {

    /**
     * One update: {@code params} (n) modified in place from {@code grads} (n, not modified).
     *
     * @throws io.github.rnnlab.ShapeException if the lengths differ or differ from the first call's
     */
    void step(float[] params, float[] grads, double learningRate);

    /** Updates done so far. */
    long steps();

    /** A deep copy of the state. */
    OptimizerState state();

    /**
     * Restores a state taken with {@link #state()} from an optimizer of the same kind.
     *
     * @throws IllegalArgumentException if the kind or buffers do not match
     */
    void restore(OptimizerState state);
}
