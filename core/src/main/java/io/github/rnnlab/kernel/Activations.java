package io.github.rnnlab.kernel;

/**
 * Activation functions and their derivatives on {@code float[]} vectors ((array, offset), n
 * contiguous elements; the output may be the input region, in place).
 *
 * <p>The scalar twins evaluate each function in double with {@link Math} and round once, so they are
 * correctly rounded up to one float ulp; they are the reference the Vector API variants are
 * measured against. Each SIMD variant documents its maximum error and its behaviour at ±0, ±∞ and
 * NaN.
 *
 * <p>Derivatives take the quantity they are cheapest from: {@code sigmoid}, {@code tanh} and
 * {@code relu} from their output y, {@code softplus} and {@code silu} from their input x; all
 * compute {@code dx = dy ⊙ f'} and may write dx over dy.
 */
public final class Activations {
    private Activations() {
    }

    /** {@code y = σ(x) = 1 / (1 + e^(−x))}. */
    public static void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) sigmoidSimd(n, x, xOff, y, yOff); else sigmoidScalar(n, x, xOff, y, yOff);
    }

    public static void sigmoidSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        sigmoidScalar(n, x, xOff, y, yOff);
    }

    public static void sigmoidScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) (1.0 / (1.0 + Math.exp(-(double) x[xOff + i])));
        }
    }

    /** {@code y = tanh(x)}. */
    public static void tanh(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) tanhSimd(n, x, xOff, y, yOff); else tanhScalar(n, x, xOff, y, yOff);
    }

    public static void tanhSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        tanhScalar(n, x, xOff, y, yOff);
    }

    public static void tanhScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    /** {@code y = max(x, 0)}. */
    public static void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) reluSimd(n, x, xOff, y, yOff); else reluScalar(n, x, xOff, y, yOff);
    }

    public static void reluSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        reluScalar(n, x, xOff, y, yOff);
    }

    public static void reluScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f ? v : (Float.isNaN(v) ? v : 0f);
        }
    }

    /** {@code y = softplus(x) = log(1 + e^x)}, computed as {@code max(x,0) + log1p(e^(−|x|))}. */
    public static void softplus(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) softplusSimd(n, x, xOff, y, yOff); else softplusScalar(n, x, xOff, y, yOff);
    }

    public static void softplusSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        softplusScalar(n, x, xOff, y, yOff);
    }

    public static void softplusScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            y[yOff + i] = (float) (Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v))));
        }
    }

    /** {@code y = silu(x) = x·σ(x)}. */
    public static void silu(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) siluSimd(n, x, xOff, y, yOff); else siluScalar(n, x, xOff, y, yOff);
    }

    public static void siluSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        siluScalar(n, x, xOff, y, yOff);
    }

    public static void siluScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            y[yOff + i] = (float) (v / (1.0 + Math.exp(-v)));
        }
    }

    /** {@code y = e^x}. */
    public static void exp(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) expSimd(n, x, xOff, y, yOff); else expScalar(n, x, xOff, y, yOff);
    }

    public static void expSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        expScalar(n, x, xOff, y, yOff);
    }

    public static void expScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }

    /** {@code dx = dy ⊙ y ⊙ (1 − y)} where {@code y = σ(x)}. */
    public static void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            float s = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * s * (1f - s);
        }
    }

    /** {@code dx = dy ⊙ (1 − y²)} where {@code y = tanh(x)}. */
    public static void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            float t = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (1f - t * t);
        }
    }

    /** {@code dx = dy ⊙ [y > 0]} where {@code y = relu(x)}. */
    public static void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    /** {@code dx = dy ⊙ σ(x)} (the derivative of softplus), from the input x. */
    public static void softplusBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = (float) (dy[dyOff + i] / (1.0 + Math.exp(-(double) x[xOff + i])));
        }
    }

    /** {@code dx = dy ⊙ σ(x)·(1 + x·(1 − σ(x)))} (the derivative of silu), from the input x. */
    public static void siluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            double s = 1.0 / (1.0 + Math.exp(-v));
            dx[dxOff + i] = (float) (dy[dyOff + i] * s * (1.0 + v * (1.0 - s)));
        }
    }

    /**
     * Row-wise {@code y = x − max(x) − log Σ e^(x − max(x))}, stable for any finite input. X: rows×cols,
     * stride ldx, not modified; Y: rows×cols, stride ldy, written (may be X).
     */
    public static void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            int xi = xOff + r * ldx, yi = yOff + r * ldy;
            float m = VectorMath.max(cols, x, xi);
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[xi + j] - m);
            }
            float lse = (float) (m + Math.log(s));
            for (int j = 0; j < cols; j++) {
                y[yi + j] = x[xi + j] - lse;
            }
        }
    }
}
