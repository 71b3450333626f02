package io.github.rnnlab.nn;

import io.github.rnnlab.numeric.Ops;

/**
 * Squared error {@code scale · Σ_r Σ_j (p_rj − y_rj)²} over the rows valid in the mask; the mean over
 * every element of the valid rows (PyTorch's {@code MSELoss}, reduction mean) is
 * {@code scale = 1/(validRows · width)}. The gradient is {@code 2·scale·(p − y)} on valid rows, 0 elsewhere.
 */
public final class MeanSquaredError {
    private MeanSquaredError() {
    }

    /**
     * @param rows        rows (e.g. steps·batch positions)
     * @param width       values per row
     * @param predictions (rows, width), not modified
     * @param targets     (rows, width), not modified
     * @param mask        valid rows (row r ↔ element {@code maskOff + r}), or null for all
     * @param grad        (rows, width), written with dL/d predictions; or null
     * @return the loss
     */
    public static <A> double compute(Ops<A> ops, int rows, int width, A predictions, int pOff, A targets, int tOff,
                                     Mask mask, int maskOff, double scale, A grad, int gOff) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            boolean valid = mask == null || mask.array()[maskOff + r] != 0f;
            for (int j = 0; j < width; j++) {
                double e = valid ? ops.get(predictions, pOff + r * width + j) - ops.get(targets, tOff + r * width + j) : 0;
                total += e * e;
                if (grad != null) {
                    ops.set(grad, gOff + r * width + j, 2 * scale * e);
                }
            }
        }
        return scale * total;
    }
}
