package io.github.rnnlab.kernel;

/**
 * The float64 kernels of the reference path (gradient checks, finite differences): the same formulas,
 * shapes and argument conventions as {@link Gemm}, {@link VectorMath} and {@link Activations}, on
 * {@code double[]}, written as plain loops (speed does not matter here, exactness does).
 */
public final class DoubleKernels {
    private DoubleKernels() {
    }

    /** {@code C = α·op(A)·op(B) + β·C}; shapes as in {@link Gemm}. */
    public static void gemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        boolean aT = ta == Transpose.YES, bT = tb == Transpose.YES;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double aip = aT ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bpj = bT ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += aip * bpj;
                }
                c[ci + j] = beta == 0 ? alpha * s : alpha * s + beta * c[ci + j];
            }
        }
    }

    /** {@code y += α·x}. */
    public static void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** {@code x *= α}. */
    public static void scale(int n, double alpha, double[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    /** {@code z = x + y}. */
    public static void add(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] + y[yOff + i];
        }
    }

    /** {@code z = x − y}. */
    public static void sub(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] - y[yOff + i];
        }
    }

    /** {@code z = x ⊙ y}. */
    public static void mul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    /** {@code z += x ⊙ y}. */
    public static void addMul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] += x[xOff + i] * y[yOff + i];
        }
    }

    /** {@code Σ xᵢ·yᵢ}. */
    public static double dot(int n, double[] x, int xOff, double[] y, int yOff) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }

    /** {@code Σ xᵢ}. */
    public static double sum(int n, double[] x, int xOff) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    /** {@code Σ xᵢ²}. */
    public static double sumSquares(int n, double[] x, int xOff) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i] * x[xOff + i];
        }
        return s;
    }

    /** {@code max xᵢ}; NaN if any is NaN; −∞ when n = 0. */
    public static double max(int n, double[] x, int xOff) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[xOff + i]);
        }
        return m;
    }

    /** Index of the first largest element (the first NaN if any); −1 when n = 0. */
    public static int argmax(int n, double[] x, int xOff) {
        int best = -1;
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            if (Double.isNaN(v)) {
                return i;
            }
            if (best < 0 || v > m) {
                m = v;
                best = i;
            }
        }
        return best;
    }

    /** {@code C[i,:] += v}. */
    public static void addRowVector(int rows, int cols, double[] v, int vOff, double[] c, int cOff, int ldc) {
        for (int i = 0; i < rows; i++) {
            add(cols, c, cOff + i * ldc, v, vOff, c, cOff + i * ldc);
        }
    }

    /** {@code out += Σᵢ A[i,:]}. */
    public static void addColumnSums(int rows, int cols, double[] a, int aOff, int lda, double[] out, int outOff) {
        for (int i = 0; i < rows; i++) {
            add(cols, out, outOff, a, aOff + i * lda, out, outOff);
        }
    }

    /** {@code y = σ(x)}, evaluated without overflow for either sign of x. */
    public static void sigmoid(int n, double[] x, int xOff, double[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = sigmoid(x[xOff + i]);
        }
    }

    /** σ(v) for one value. */
    public static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }

    /** {@code y = tanh(x)}. */
    public static void tanh(int n, double[] x, int xOff, double[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.tanh(x[xOff + i]);
        }
    }

    /** {@code y = max(x, 0)} (NaN stays NaN). */
    public static void relu(int n, double[] x, int xOff, double[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            y[yOff + i] = v > 0 ? v : (Double.isNaN(v) ? v : 0.0);
        }
    }

    /** Below −800, σ(x) underflows to 0 in double, so silu and its derivative have reached their limits. */
    private static final double SILU_FLOOR = 800.0;

    /** {@code y = log(1 + e^x)}. */
    public static void softplus(int n, double[] x, int xOff, double[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            y[yOff + i] = Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v)));
        }
    }

    /** {@code y = x·σ(x)}; silu(−∞) = −0 (the limit) rather than the NaN of −∞·0; silu(NaN) = NaN. */
    public static void silu(int n, double[] x, int xOff, double[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            double v = Math.max(x[xOff + i], -SILU_FLOOR); // silu(−800) already rounds to −0; keeps NaN
            y[yOff + i] = v * sigmoid(v);
        }
    }

    /** {@code y = e^x}. */
    public static void exp(int n, double[] x, int xOff, double[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.exp(x[xOff + i]);
        }
    }

    /** {@code dx = dy ⊙ y(1 − y)}, y = σ(x). */
    public static void sigmoidBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            double s = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * s * (1 - s);
        }
    }

    /** {@code dx = dy ⊙ (1 − y²)}, y = tanh(x). */
    public static void tanhBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            double t = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (1 - t * t);
        }
    }

    /** {@code dx = dy ⊙ [y > 0]}, y = relu(x). */
    public static void reluBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = y[yOff + i] > 0 ? dy[dyOff + i] : 0.0;
        }
    }

    /** {@code dx = dy ⊙ σ(x)}, from x. */
    public static void softplusBackward(int n, double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * sigmoid(x[xOff + i]);
        }
    }

    /** {@code dx = dy ⊙ σ(x)(1 + x(1 − σ(x)))}, from x; silu′(−∞) = 0 (the limit), silu′(+∞) = 1. */
    public static void siluBackward(int n, double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            double v = Math.min(Math.max(x[xOff + i], -SILU_FLOOR), SILU_FLOOR); // the limits of ±∞ without ∞·0
            double s = sigmoid(v);
            dx[dxOff + i] = dy[dyOff + i] * s * (1 + v * (1 - s));
        }
    }

    /** Row-wise stable log-softmax; shapes as in {@link Activations#logSoftmax}. */
    public static void logSoftmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            int xi = xOff + r * ldx, yi = yOff + r * ldy;
            double m = max(cols, x, xi);
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[xi + j] - m);
            }
            double lse = m + Math.log(s);
            for (int j = 0; j < cols; j++) {
                y[yi + j] = x[xi + j] - lse;
            }
        }
    }
}
