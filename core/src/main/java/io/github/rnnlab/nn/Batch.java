package io.github.rnnlab.nn;

import io.github.rnnlab.ShapeException;

/**
 * A padded batch of sequences, time-major: position (t, b) is index {@code t·batch + b}.
 *
 * <p>Inputs are either tokens ({@code steps·batch} ids, for a model with an {@link Embedding}) or
 * features ((steps, batch, n) values). Targets, when present, are either classes ({@code steps·batch}
 * ids, negative = ignore) for {@link SoftmaxCrossEntropy} or values ((steps, batch, outputs)) for
 * {@link MeanSquaredError}. The mask says which positions are real steps (null: all of them).
 * Arrays are not copied: do not modify them while a model uses the batch.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public record Batch<A>(int steps, int batch, int[] tokens, A features, int[] targets, A targetValues, Mask mask) {

    public Batch {
        if (steps < 0 || batch < 0) {
            throw new ShapeException("steps and batch must be non-negative, got " + steps + " and " + batch);
        }
        if ((tokens == null) == (features == null)) {
            throw new IllegalArgumentException("a batch needs either tokens or features as input");
        }
        long n = (long) steps * batch;
        if (tokens != null) {
            ShapeException.check("input tokens (steps·batch)", n, tokens.length);
        }
        if (targets != null) {
            ShapeException.check("target classes (steps·batch)", n, targets.length);
        }
        if (targets != null && targetValues != null) {
            throw new IllegalArgumentException("a batch has target classes or target values, not both");
        }
        if (mask != null) {
            ShapeException.check("mask steps", steps, mask.steps());
            ShapeException.check("mask batch", batch, mask.batch());
        }
    }

    /** Token inputs with class targets (null for none). */
    public static <A> Batch<A> ofTokens(int steps, int batch, int[] tokens, int[] targets, Mask mask) {
        return new Batch<>(steps, batch, tokens, null, targets, null, mask);
    }

    /** Feature inputs (steps, batch, n) with class targets (null for none). */
    public static <A> Batch<A> ofFeatures(int steps, int batch, A features, int[] targets, Mask mask) {
        return new Batch<>(steps, batch, null, features, targets, null, mask);
    }

    /** Feature inputs with value targets (steps, batch, outputs). */
    public static <A> Batch<A> ofFeatureValues(int steps, int batch, A features, A targetValues, Mask mask) {
        return new Batch<>(steps, batch, null, features, null, targetValues, mask);
    }

    /** Token inputs with value targets (steps, batch, outputs). */
    public static <A> Batch<A> ofTokenValues(int steps, int batch, int[] tokens, A targetValues, Mask mask) {
        return new Batch<>(steps, batch, tokens, null, null, targetValues, mask);
    }
}
