package io.github.rnnlab.task;

import io.github.rnnlab.ShapeException;

/**
 * The per-element scores the tasks use, in double precision: squared error, softmax cross-entropy
 * from logits, arg-max. Public so that training code and tests can reproduce a task's numbers.
 */
public final class TaskMath {
    private TaskMath() {
    }

    /**
     * Softmax cross-entropy of one row of logits, in nats: {@code logsumexp(z) − z_target}, computed as
     * {@code max + ln Σ exp(z_i − max) − z_target} so large logits do not overflow.
     *
     * @param logits {@code n} values from {@code offset}; not modified
     */
    public static double crossEntropy(float[] logits, int offset, int n, int target) {
        if (target < 0 || target >= n) {
            throw new IndexOutOfBoundsException("target class: expected 0 to " + (n - 1) + ", got " + target);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return max + Math.log(sum) - logits[offset + target];
    }

    /** Index of the largest of {@code n} values from {@code offset}; the first one on ties. */
    public static int argmax(float[] values, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    /** Throws unless a (steps, batch, features) float array fits in one Java array. */
    static void checkBatchSize(String task, long steps, long batch, long features) {
        double size = (double) steps * batch * features; // double: the product may overflow a long
        if (size > Integer.MAX_VALUE - 8) {
            throw new ShapeException(task + " batch of " + steps + "×" + batch + "×" + features
                    + ": expected at most " + (Integer.MAX_VALUE - 8) + " elements, got " + String.format(java.util.Locale.ROOT, "%.0f", size));
        }
    }

    /** Checks the batch against the task's shape and the predictions' length. */
    static void check(SequenceTask task, TaskBatch batch, float[] predictions) {
        ShapeException.check(task.kind().cliName() + " batch input size", task.inputSize(), batch.inputSize());
        ShapeException.check(task.kind().cliName() + " batch output size", task.outputSize(), batch.outputSize());
        if (batch.readout() != task.readout()) {
            throw new ShapeException(task.kind().cliName() + " batch readout: expected " + task.readout() + ", got " + batch.readout());
        }
        ShapeException.check(task.kind().cliName() + " predictions (" + (task.readout() == Readout.LAST_STEP
                ? "B·outputSize" : "T·B·outputSize") + ")", batch.predictionLength(), predictions.length);
    }

    /** Mean squared error of many-to-one regression; the metric is the same MSE. */
    static Evaluation squaredError(TaskBatch batch, float[] predictions) {
        float[] y = batch.targetValues();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double d = (double) predictions[i] - y[i];
            sum += d * d;
        }
        return new Evaluation(sum, y.length, sum, y.length);
    }

    /** Cross-entropy and accuracy of many-to-one classification. */
    static Evaluation lastStepClassification(TaskBatch batch, float[] logits) {
        int c = batch.outputSize();
        int[] y = batch.targetClasses();
        double loss = 0;
        long correct = 0;
        for (int b = 0; b < y.length; b++) {
            loss += crossEntropy(logits, b * c, c, y[b]);
            correct += argmax(logits, b * c, c) == y[b] ? 1 : 0;
        }
        return new Evaluation(loss, y.length, correct, y.length);
    }
}
