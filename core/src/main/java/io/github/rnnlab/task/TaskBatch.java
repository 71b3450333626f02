package io.github.rnnlab.task;

import io.github.rnnlab.ShapeException;

/**
 * One batch of a synthetic task. All arrays are row-major and time-major, as the sequence engine
 * takes them:
 * <ul>
 *   <li>{@code inputs}: (T, B, inputSize) floats; element (t, b, i) at {@code (t·B + b)·inputSize + i};</li>
 *   <li>{@code mask}: (T, B) floats, 1 = real step, 0 = padding (the engine keeps the state and the loss
 *       ignores the step); {@code null} when every step is real;</li>
 *   <li>regression targets ({@link LossKind#MEAN_SQUARED_ERROR}): {@code targetValues}, (B, outputSize)
 *       for {@link Readout#LAST_STEP}, (T, B, outputSize) for {@link Readout#EVERY_STEP};
 *       {@code targetClasses} is {@code null};</li>
 *   <li>classification targets ({@link LossKind#CROSS_ENTROPY}): {@code targetClasses} in
 *       {@code [0, outputSize)}, (B) for {@code LAST_STEP}, (T, B) for {@code EVERY_STEP}, −1 at
 *       masked steps; {@code targetValues} is {@code null};</li>
 *   <li>{@code legalClasses} (optional, (T, B)): a bit set per step, bit c set when class c is an
 *       acceptable prediction (the Reber grammar's legal next symbols); {@code null} otherwise.</li>
 * </ul>
 * The accessors return the batch's own arrays (no copies): treat them as read-only.
 */
public final class TaskBatch {
    private final int steps;
    private final int batch;
    private final int inputSize;
    private final int outputSize;
    private final Readout readout;
    private final float[] inputs;
    private final float[] mask;
    private final float[] targetValues;
    private final int[] targetClasses;
    private final int[] legalClasses;

    private TaskBatch(int steps, int batch, int inputSize, int outputSize, Readout readout, float[] inputs,
                      float[] mask, float[] targetValues, int[] targetClasses, int[] legalClasses) {
        if (steps < 1 || batch < 1 || inputSize < 1 || outputSize < 1) {
            throw new ShapeException("task batch: expected steps, batch, inputSize and outputSize ≥ 1, got steps=" + steps
                    + " batch=" + batch + " inputSize=" + inputSize + " outputSize=" + outputSize);
        }
        long rows = (long) steps * batch;
        ShapeException.check("task batch inputs (T·B·inputSize)", rows * inputSize, inputs.length);
        if (mask != null) {
            ShapeException.check("task batch mask (T·B)", rows, mask.length);
        }
        long targetRows = readout == Readout.LAST_STEP ? batch : rows;
        if (targetValues != null) {
            ShapeException.check("task batch target values", targetRows * outputSize, targetValues.length);
        }
        if (targetClasses != null) {
            ShapeException.check("task batch target classes", targetRows, targetClasses.length);
            for (int i = 0; i < targetClasses.length; i++) {
                int c = targetClasses[i];
                boolean masked = readout == Readout.EVERY_STEP && mask != null && mask[i] == 0f;
                if (masked ? c != -1 : (c < 0 || c >= outputSize)) {
                    throw new ShapeException("task batch target class at " + i + ": expected "
                            + (masked ? "-1 (masked step)" : "0 to " + (outputSize - 1)) + ", got " + c);
                }
            }
        }
        if (legalClasses != null) {
            ShapeException.check("task batch legal classes (T·B)", rows, legalClasses.length);
        }
        this.steps = steps;
        this.batch = batch;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.readout = readout;
        this.inputs = inputs;
        this.mask = mask;
        this.targetValues = targetValues;
        this.targetClasses = targetClasses;
        this.legalClasses = legalClasses;
    }

    /** A regression batch (MSE); shapes as in the class comment. */
    public static TaskBatch regression(int steps, int batch, int inputSize, int outputSize, Readout readout,
                                       float[] inputs, float[] mask, float[] targetValues) {
        return new TaskBatch(steps, batch, inputSize, outputSize, readout, inputs, mask, targetValues, null, null);
    }

    /** A classification batch (cross-entropy); shapes as in the class comment; {@code legalClasses} may be null. */
    public static TaskBatch classification(int steps, int batch, int inputSize, int outputSize, Readout readout,
                                           float[] inputs, float[] mask, int[] targetClasses, int[] legalClasses) {
        return new TaskBatch(steps, batch, inputSize, outputSize, readout, inputs, mask, null, targetClasses, legalClasses);
    }

    /** T. */
    public int steps() {
        return steps;
    }

    /** B. */
    public int batch() {
        return batch;
    }

    public int inputSize() {
        return inputSize;
    }

    /** Regression outputs, or the number of classes. */
    public int outputSize() {
        return outputSize;
    }

    public Readout readout() {
        return readout;
    }

    /** (T, B, inputSize). */
    public float[] inputs() {
        return inputs;
    }

    /** (T, B) 1/0, or {@code null} when no step is padded. */
    public float[] mask() {
        return mask;
    }

    /** Regression targets, or {@code null} for classification. */
    public float[] targetValues() {
        return targetValues;
    }

    /** Classification targets, or {@code null} for regression. */
    public int[] targetClasses() {
        return targetClasses;
    }

    /** (T, B) bit sets of acceptable classes, or {@code null}. */
    public int[] legalClasses() {
        return legalClasses;
    }

    /** Input feature i at (t, b). */
    public float input(int t, int b, int i) {
        return inputs[(t * batch + b) * inputSize + i];
    }

    /** Whether (t, b) is a real (unpadded) step. */
    public boolean isReal(int t, int b) {
        return mask == null || mask[t * batch + b] != 0f;
    }

    /** Number of predictions the loss averages over: B for many-to-one, the number of real steps otherwise. */
    public int predictionCount() {
        if (readout == Readout.LAST_STEP) {
            return batch;
        }
        if (mask == null) {
            return steps * batch;
        }
        int n = 0;
        for (float m : mask) {
            n += m != 0f ? 1 : 0;
        }
        return n;
    }

    /** Length of the prediction array {@link SequenceTask#evaluate} expects. */
    public int predictionLength() {
        return (readout == Readout.LAST_STEP ? batch : steps * batch) * outputSize;
    }
}
