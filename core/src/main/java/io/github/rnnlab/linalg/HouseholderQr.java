package io.github.rnnlab.linalg;

/**
 * The thin QR decomposition {@code A = Q·R} of an m×n matrix by Householder reflections (Golub &amp;
 * Van Loan, <i>Matrix Computations</i>, 4th ed., §5.2.2), with k = min(m, n): Q is m×k with
 * orthonormal columns, R is k×n upper triangular (upper trapezoidal when n &gt; m). The signs are
 * normalised so that {@code R[j][j] ≥ 0}; for a full-rank A this makes the decomposition unique
 * (and, applied to a Gaussian matrix, makes Q Haar-distributed).
 *
 * <p>Backward stable: the computed factors satisfy {@code ‖A − QR‖ ≈ ε‖A‖} and {@code ‖QᵀQ − I‖ ≈ ε}
 * regardless of the conditioning of A.
 *
 * <p>Note: {@code io.github.rnnlab.init} has its own QR for orthogonal initialisation; the two are
 * independent implementations and could be merged later.
 */
public final class HouseholderQr {
    private final Matrix q;
    private final Matrix r;

    private HouseholderQr(Matrix q, Matrix r) {
        this.q = q;
        this.r = r;
    }

    /**
     * Decomposes {@code a} (not modified).
     *
     * @throws NonFiniteMatrixException if {@code a} holds NaN or an infinity
     */
    public static HouseholderQr of(Matrix a) {
        a.requireFinite("QR decomposition");
        int m = a.rows(), n = a.cols(), k = Math.min(m, n);
        double[] w = a.toArray(); // worked on in place, row-major m×n
        int reflections = Math.min(m - 1, n);
        double[][] vs = new double[Math.max(reflections, 0)][];
        double[] betas = new double[Math.max(reflections, 0)];
        for (int j = 0; j < reflections; j++) {
            int len = m - j;
            double[] v = new double[len];
            double scale = 0;
            for (int i = 0; i < len; i++) {
                v[i] = w[(j + i) * n + j];
                scale = Math.max(scale, Math.abs(v[i]));
            }
            if (scale == 0) {
                vs[j] = v;
                continue; // column already zero below (and on) the diagonal: no reflection
            }
            double sum = 0;
            for (int i = 0; i < len; i++) {
                double x = v[i] / scale;
                sum += x * x;
            }
            double norm = scale * Math.sqrt(sum);
            double alpha = v[0] > 0 ? -norm : norm; // H·x = alpha·e₁, sign chosen against cancellation
            v[0] -= alpha;
            double vnorm2 = 0;
            for (double x : v) {
                vnorm2 += x * x;
            }
            if (vnorm2 == 0) {
                vs[j] = v;
                continue;
            }
            double beta = 2 / vnorm2;
            vs[j] = v;
            betas[j] = beta;
            // A[j:, j:] = (I − β v vᵀ) A[j:, j:]
            for (int c = j; c < n; c++) {
                double d = 0;
                for (int i = 0; i < len; i++) {
                    d += v[i] * w[(j + i) * n + c];
                }
                d *= beta;
                for (int i = 0; i < len; i++) {
                    w[(j + i) * n + c] -= d * v[i];
                }
            }
            w[j * n + j] = alpha;
            for (int i = 1; i < len; i++) {
                w[(j + i) * n + j] = 0;
            }
        }
        // R: the first k rows, zero below the diagonal.
        double[] rData = new double[k * n];
        for (int i = 0; i < k; i++) {
            for (int c = i; c < n; c++) {
                rData[i * n + c] = w[i * n + c];
            }
        }
        // Q = H₀ H₁ … H_{r−1} · [I_k; 0], applying the reflections in reverse order.
        double[] qData = new double[m * k];
        for (int i = 0; i < k; i++) {
            qData[i * k + i] = 1;
        }
        for (int j = reflections - 1; j >= 0; j--) {
            double[] v = vs[j];
            double beta = betas[j];
            if (beta == 0) {
                continue;
            }
            for (int c = 0; c < k; c++) {
                double d = 0;
                for (int i = 0; i < v.length; i++) {
                    d += v[i] * qData[(j + i) * k + c];
                }
                d *= beta;
                for (int i = 0; i < v.length; i++) {
                    qData[(j + i) * k + c] -= d * v[i];
                }
            }
        }
        // Signs: R[j][j] ≥ 0 (negate row j of R and column j of Q together; QR is unchanged).
        for (int j = 0; j < k; j++) {
            if (rData[j * n + j] < 0) {
                for (int c = j; c < n; c++) {
                    rData[j * n + c] = -rData[j * n + c];
                }
                for (int i = 0; i < m; i++) {
                    qData[i * k + j] = -qData[i * k + j];
                }
            }
        }
        return new HouseholderQr(Matrix.wrap(m, k, qData), Matrix.wrap(k, n, rData));
    }

    /** Q: m×k, orthonormal columns. */
    public Matrix q() {
        return q;
    }

    /** R: k×n, upper triangular (trapezoidal), non-negative diagonal. */
    public Matrix r() {
        return r;
    }
}
