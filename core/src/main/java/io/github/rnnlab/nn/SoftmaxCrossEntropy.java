package io.github.rnnlab.nn;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Ops;

/**
 * Softmax cross-entropy over class logits, as PyTorch's {@code CrossEntropyLoss}:
 * {@code ℓ_r = −log softmax(z_r)[y_r] = logsumexp(z_r) − z_r[y_r]}, computed with the stable
 * log-softmax (max subtracted first).
 *
 * <p>A row counts when its position is valid in the mask (if any) and its target is non-negative (a
 * negative target is ignored, as PyTorch's {@code ignore_index}). The loss returned is
 * {@code scale · Σ_counted ℓ_r}; the mean over valid positions is {@code scale = 1/count}
 * ({@link #count}). The gradient is {@code scale · (softmax(z_r) − onehot(y_r))} on counted rows and 0
 * on the others.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class SoftmaxCrossEntropy<A> {
    private final Ops<A> ops;
    private final Buffer<A> scratch;

    public SoftmaxCrossEntropy(Ops<A> ops) {
        this.ops = ops;
        this.scratch = new Buffer.Pool<>(ops).create();
    }

    /**
     * The number of rows that count: valid in {@code mask} (row r ↔ mask element {@code maskOff + r};
     * null = all) with a non-negative target.
     */
    public static int count(int rows, int[] targets, int tOff, Mask mask, int maskOff) {
        int n = 0;
        for (int r = 0; r < rows; r++) {
            if (counts(r, targets, tOff, mask, maskOff)) {
                n++;
            }
        }
        return n;
    }

    /** Whether row r counts: a non-negative target, and valid in {@code mask} (null: all valid). */
    private static boolean counts(int r, int[] targets, int tOff, Mask mask, int maskOff) {
        return targets[tOff + r] >= 0 && (mask == null || mask.array()[maskOff + r] != 0f);
    }

    /**
     * @param rows    rows of logits (e.g. steps·batch positions)
     * @param classes logits per row
     * @param logits  (rows, classes), not modified
     * @param targets the class of each row, in [0, classes) or negative to ignore
     * @param mask    valid positions (row r ↔ element {@code maskOff + r}), or null
     * @param scale   the factor on the sum (1/count for the mean)
     * @param grad    (rows, classes), written with dL/d logits; or null for the loss alone
     * @return {@code scale · Σ ℓ_r} over the rows that count
     * @throws ShapeException if a counted target is not below {@code classes}
     */
    public double compute(int rows, int classes, A logits, int lOff, int[] targets, int tOff, Mask mask, int maskOff,
                          double scale, A grad, int gOff) {
        // the log-softmax of every row in one kernel call, into the gradient (or a scratch buffer)
        A dst = grad != null ? grad : scratch.ensure((long) rows * classes);
        int d0 = grad != null ? gOff : 0;
        ops.logSoftmax(rows, classes, logits, lOff, classes, dst, d0, classes);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int y = targets[tOff + r];
            if (counts(r, targets, tOff, mask, maskOff)) {
                if (y >= classes) {
                    throw new ShapeException("target of row " + r + ": expected a class in 0…" + (classes - 1) + ", got " + y);
                }
                total += -ops.get(dst, d0 + r * classes + y);
            }
        }
        if (grad != null) {
            // d/dz (logsumexp(z) − z_y) = softmax(z) − onehot(y), times scale; 0 on rows that do not count
            ops.exp(rows * classes, grad, gOff, grad, gOff);
            for (int r = 0; r < rows; r++) {
                int y = targets[tOff + r], d = gOff + r * classes;
                if (counts(r, targets, tOff, mask, maskOff)) {
                    ops.set(grad, d + y, ops.get(grad, d + y) - 1);
                } else {
                    ops.fill(classes, 0, grad, d);
                }
            }
            ops.scale(rows * classes, scale, grad, gOff);
        }
        return scale * total;
    }
}
