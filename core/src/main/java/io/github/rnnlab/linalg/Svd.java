package io.github.rnnlab.linalg;

import io.github.rnnlab.numeric.Rng;
import java.util.Arrays;

/**
 * The thin singular value decomposition {@code A = U·diag(σ)·Vᵀ} of an m×n matrix, k = min(m, n):
 * U is m×k and V is n×k with orthonormal columns, {@code σ₁ ≥ σ₂ ≥ … ≥ σ_k ≥ 0}.
 *
 * <p>Algorithm: one-sided Jacobi (Hestenes 1958; Demmel &amp; Veselić 1992). The columns of a copy
 * of A (of Aᵀ when m &lt; n) are rotated in pairs until every pair is orthogonal to working
 * precision, {@code |a_pᵀa_q| ≤ m·ε·‖a_p‖·‖a_q‖}, a column of norm at most {@code max(m, n)·ε·‖A‖_F}
 * counting as zero; the rotations accumulate in V, the final column norms
 * are σ and the normalised columns are U. It is simple and accurate: each σ_i comes out with an
 * absolute error of a small multiple of {@code ε·σ₁} (and often high relative accuracy). A sweep
 * costs about {@code 3·m·n²} multiply-adds (half that without vectors), and typically 5–10 sweeps
 * are needed, so for large matrices (a 1024×1024 recurrent weight) use
 * {@link #largestSingularValue} when only σ₁ is needed.
 *
 * <p>Columns of U that belong to zero (or negligible, {@code σ_i ≤ max(m,n)·ε·σ₁}) singular values
 * are completed to an orthonormal set, so U always has orthonormal columns.
 */
public final class Svd {
    /** Sweeps before {@link ConvergenceException}; Jacobi needs far fewer in practice. */
    static final int MAX_SWEEPS = 100;
    private static final double EPS = Math.ulp(1.0);

    private final Matrix u;
    private final double[] sigma;
    private final Matrix v;

    private Svd(Matrix u, double[] sigma, Matrix v) {
        this.u = u;
        this.sigma = sigma;
        this.v = v;
    }

    /**
     * The full thin decomposition of {@code a} (not modified).
     *
     * @throws NonFiniteMatrixException if {@code a} holds NaN or an infinity
     * @throws ConvergenceException if Jacobi sweeps do not converge (not observed in practice)
     */
    public static Svd of(Matrix a) {
        a.requireFinite("singular value decomposition");
        boolean wide = a.rows() < a.cols();
        Matrix tall = wide ? a.transpose() : a;
        Jacobi j = jacobi(tall, true);
        Matrix uTall = j.leftVectors();
        Matrix vTall = Matrix.wrap(tall.cols(), tall.cols(), j.v);
        // A = U Σ Vᵀ; for the transposed problem Aᵀ = U' Σ V'ᵀ, so A = V' Σ U'ᵀ.
        return wide ? new Svd(vTall, j.sigma, uTall) : new Svd(uTall, j.sigma, vTall);
    }

    /**
     * The singular values of {@code a}, descending (length min(m, n)), without computing U or V.
     *
     * @throws NonFiniteMatrixException if {@code a} holds NaN or an infinity
     */
    public static double[] singularValues(Matrix a) {
        a.requireFinite("singular values");
        Matrix tall = a.rows() < a.cols() ? a.transpose() : a;
        return jacobi(tall, false).sigma;
    }

    /** σ₁ / σ_k (infinite when σ_k = 0; NaN for an empty matrix). */
    public double conditionNumber() {
        if (sigma.length == 0) {
            return Double.NaN;
        }
        return sigma[0] / sigma[sigma.length - 1];
    }

    /** U: m×k. */
    public Matrix u() {
        return u;
    }

    /** σ, descending; a copy. */
    public double[] singularValues() {
        return sigma.clone();
    }

    /** V: n×k. */
    public Matrix v() {
        return v;
    }

    /** Number of singular values above {@code tolerance}. */
    public int rank(double tolerance) {
        int r = 0;
        for (double s : sigma) {
            r += s > tolerance ? 1 : 0;
        }
        return r;
    }

    /** The working state of a Jacobi run on a tall (m ≥ n) matrix: columns, V, σ. */
    private static final class Jacobi {
        final int m;
        final int n;
        /** n columns of length m (column-major copy of A, rotated; sorted by σ at the end). */
        double[][] cols;
        /** V, n×n row-major (null without vectors). */
        double[] v;
        double[] sigma;
        /** σ at or below this is zero to working precision (its column was never rotated). */
        double negligibleSigma;

        Jacobi(int m, int n) {
            this.m = m;
            this.n = n;
        }

        /** U: columns / σ, completed to an orthonormal set where σ is negligible. */
        Matrix leftVectors() {
            double[] u = new double[m * n];
            double tiny = Math.max(negligibleSigma, Math.max(m, n) * EPS * (n == 0 ? 0 : sigma[0]));
            boolean[] have = new boolean[n];
            for (int j = 0; j < n; j++) {
                if (sigma[j] > tiny && sigma[j] > 0) {
                    for (int i = 0; i < m; i++) {
                        u[i * n + j] = cols[j][i] / sigma[j];
                    }
                    have[j] = true;
                }
            }
            for (int j = 0; j < n; j++) {
                if (!have[j]) {
                    complete(u, have, j);
                    have[j] = true;
                }
            }
            return Matrix.wrap(m, n, u);
        }

        /** Fills column j of U with the unit basis vector least covered by the columns present, orthogonalised. */
        private void complete(double[] u, boolean[] have, int j) {
            double[] best = null;
            double bestNorm = -1;
            for (int e = 0; e < m; e++) {
                double[] x = new double[m];
                x[e] = 1;
                for (int pass = 0; pass < 2; pass++) { // Gram–Schmidt twice for orthogonality to ε
                    for (int c = 0; c < n; c++) {
                        if (!have[c]) {
                            continue;
                        }
                        double d = 0;
                        for (int i = 0; i < m; i++) {
                            d += u[i * n + c] * x[i];
                        }
                        for (int i = 0; i < m; i++) {
                            x[i] -= d * u[i * n + c];
                        }
                    }
                }
                double norm = 0;
                for (double xi : x) {
                    norm += xi * xi;
                }
                norm = Math.sqrt(norm);
                if (norm > bestNorm) {
                    bestNorm = norm;
                    best = x;
                }
                if (norm > 0.7) {
                    break; // good enough: at least half the basis vector is new
                }
            }
            for (int i = 0; i < m; i++) {
                u[i * n + j] = best[i] / bestNorm;
            }
        }
    }

    private static Jacobi jacobi(Matrix tall, boolean vectors) {
        int m = tall.rows(), n = tall.cols();
        Jacobi j = new Jacobi(m, n);
        double[] a = tall.data();
        // Scale so that squared norms cannot overflow or underflow (σ scales back at the end).
        double scale = tall.maxAbs();
        double inv = scale == 0 ? 1 : 1 / scale;
        double[][] cols = new double[n][m];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < n; c++) {
                cols[c][i] = a[i * n + c] * inv;
            }
        }
        // A column whose squared norm is at most (max(m, n)·ε)²·‖A‖²_F is zero to working precision (the
        // method's absolute accuracy is a small multiple of ε·σ₁): rotating it against another column only
        // mixes rounding noise, and for a rank-deficient A such rotations never stop.
        double frobenius2 = 0;
        for (double[] col : cols) {
            for (double x : col) {
                frobenius2 += x * x;
            }
        }
        double negligible = Math.max(m, n) * EPS;
        negligible = negligible * negligible * frobenius2;
        // Two columns count as orthogonal at |a_pᵀa_q| ≤ m·ε·‖a_p‖‖a_q‖ (as LAPACK's xGESVJ): with ε
        // alone, a pair whose cosine is a rounding error just above ε flips sign at every rotation and
        // the sweeps never end.
        double orthogonal = m * EPS;
        double[][] vCols = null;
        if (vectors) {
            vCols = new double[n][n];
            for (int c = 0; c < n; c++) {
                vCols[c][c] = 1;
            }
        }
        boolean converged = n < 2;
        for (int sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double[] cp = cols[p], cq = cols[q];
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int i = 0; i < m; i++) {
                        alpha += cp[i] * cp[i];
                        beta += cq[i] * cq[i];
                        gamma += cp[i] * cq[i];
                    }
                    if (gamma == 0 || alpha <= negligible || beta <= negligible
                            || Math.abs(gamma) <= orthogonal * Math.sqrt(alpha) * Math.sqrt(beta)) {
                        continue;
                    }
                    rotated = true;
                    // Rotation that zeroes the (p, q) entry of AᵀA: t = tan θ, the smaller root of
                    // t² + 2ζt − 1 = 0 with ζ = (β − α) / 2γ (Rutishauser's formulation).
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.abs(zeta) > 1e150 ? 0.5 / zeta
                            : Math.copySign(1.0, zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double c = 1 / Math.sqrt(1 + t * t), s = c * t;
                    rotate(cp, cq, c, s);
                    if (vectors) {
                        rotate(vCols[p], vCols[q], c, s);
                    }
                }
            }
            converged = !rotated;
        }
        if (!converged) {
            throw new ConvergenceException("one-sided Jacobi SVD of a " + m + "×" + n + " matrix: expected convergence within "
                    + MAX_SWEEPS + " sweeps, got none");
        }
        double[] sigma = new double[n];
        for (int c = 0; c < n; c++) {
            double s = 0;
            for (double x : cols[c]) {
                s += x * x;
            }
            sigma[c] = Math.sqrt(s);
        }
        // Sort descending, carrying columns and V along.
        Integer[] order = new Integer[n];
        for (int c = 0; c < n; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (x, y) -> Double.compare(sigma[y], sigma[x]));
        j.negligibleSigma = Math.sqrt(negligible) * scale;
        j.sigma = new double[n];
        j.cols = new double[n][];
        if (vectors) {
            j.v = new double[n * n];
        }
        for (int k = 0; k < n; k++) {
            int from = order[k];
            j.sigma[k] = sigma[from] * scale;
            j.cols[k] = cols[from];
            if (vectors) {
                for (int i = 0; i < n; i++) {
                    j.v[i * n + k] = vCols[from][i];
                }
            }
        }
        if (scale != 0) {
            for (int k = 0; k < n; k++) {
                double[] col = j.cols[k];
                for (int i = 0; i < m; i++) {
                    col[i] *= scale;
                }
            }
        }
        return j;
    }

    /** (x, y) ← (c·x − s·y, s·x + c·y). */
    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double xi = x[i], yi = y[i];
            x[i] = c * xi - s * yi;
            y[i] = s * xi + c * yi;
        }
    }

    /**
     * An estimate of σ₁ = ‖A‖₂ by power iteration on AᵀA: {@code u = A·v/‖A·v‖, v = Aᵀ·u/‖Aᵀ·u‖},
     * the estimate being {@code ‖Aᵀ·u‖}. Each iteration costs two matrix-vector products (4·m·n
     * flops), so this is the fast path for large matrices.
     *
     * <p>Every estimate is a lower bound, {@code ‖Aᵀu‖ ≤ σ₁} for unit u, and converges to σ₁ with an
     * error that shrinks like {@code (σ₂/σ₁)^{2i}}: slowly when the two largest singular values are
     * close. The iteration stops when two successive estimates differ by at most
     * {@code tolerance × estimate}; with a tiny gap that can happen before σ₁ is reached to the same
     * relative accuracy (the estimate is then still a lower bound). The start vector is pseudo-random
     * from a fixed seed, so results are reproducible.
     *
     * @param tolerance     relative change between successive estimates that counts as converged, &gt; 0
     * @param maxIterations at least 1
     * @throws NonFiniteMatrixException if {@code a} holds NaN or an infinity
     */
    public static SingularValueEstimate largestSingularValue(Matrix a, double tolerance, int maxIterations) {
        a.requireFinite("power iteration");
        if (!(tolerance > 0) || maxIterations < 1) {
            throw new IllegalArgumentException("power iteration: expected tolerance > 0 and maxIterations ≥ 1, got "
                    + tolerance + " and " + maxIterations);
        }
        int m = a.rows(), n = a.cols();
        if (m == 0 || n == 0) {
            return new SingularValueEstimate(0, 0, true);
        }
        double scale = a.maxAbs();
        if (scale == 0) {
            return new SingularValueEstimate(0, 0, true);
        }
        Rng rng = new Rng(0x5EED_5A1DL);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        normalize(v);
        double previous = 0;
        for (int it = 1; it <= maxIterations; it++) {
            double[] u = a.times(v);
            if (normalize(u) == 0) {
                // v fell into the null space (measure-zero start): restart from a fresh direction
                for (int i = 0; i < n; i++) {
                    v[i] = rng.nextGaussian();
                }
                normalize(v);
                continue;
            }
            v = a.transposeTimes(u);
            double estimate = normalize(v);
            if (Math.abs(estimate - previous) <= tolerance * estimate) {
                return new SingularValueEstimate(estimate, it, true);
            }
            previous = estimate;
        }
        return new SingularValueEstimate(previous, maxIterations, false);
    }

    /** {@link #largestSingularValue(Matrix, double, int)} with tolerance 1e-12 and at most 10000 iterations. */
    public static SingularValueEstimate largestSingularValue(Matrix a) {
        return largestSingularValue(a, 1e-12, 10_000);
    }

    /** Scales x to unit length, returning its former norm (0 leaves x unchanged). */
    private static double normalize(double[] x) {
        double max = 0;
        for (double xi : x) {
            max = Math.max(max, Math.abs(xi));
        }
        if (max == 0) {
            return 0;
        }
        double s = 0;
        for (double xi : x) {
            double y = xi / max;
            s += y * y;
        }
        double norm = max * Math.sqrt(s);
        for (int i = 0; i < x.length; i++) {
            x[i] /= norm;
        }
        return norm;
    }
}
