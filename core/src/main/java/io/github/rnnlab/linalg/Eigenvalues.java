package io.github.rnnlab.linalg;

import io.github.rnnlab.ShapeException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The eigenvalues of a real square matrix, real ones and complex-conjugate pairs, and its spectral
 * radius {@code ρ(A) = max |λ_i|} — for a recurrent weight matrix W_hh the quantity that decides
 * whether the linearised recurrence {@code h ← W_hh·h} grows or decays.
 *
 * <p>Algorithm (Golub &amp; Van Loan, <i>Matrix Computations</i>, §7.4–7.5; the EISPACK routines
 * {@code balanc}, {@code orthes}, {@code hqr}): balance the matrix by diagonal similarity with powers
 * of 2 (Parlett &amp; Reinsch), reduce it to upper Hessenberg form with Householder reflections, then
 * run the Francis implicit double-shift QR iteration, deflating 1×1 and 2×2 blocks from the bottom.
 * Cost about {@code 10·n³} flops. All steps are similarity transforms, so the eigenvalues are those
 * of A; the computed ones are exact for a matrix within {@code ≈ ε‖A‖} of A (backward stable). For
 * normal matrices (symmetric, orthogonal) this means an error of order {@code ε‖A‖}; for
 * non-normal matrices eigenvalues can be ill-conditioned (a Jordan block of size k perturbed by δ
 * moves its eigenvalue by about {@code δ^{1/k}}), so expect larger errors there.
 *
 * <p>Eigenvalues are reported sorted by modulus, largest first (ties: larger real part first, then
 * positive imaginary part first), with each complex pair adjacent.
 */
public final class Eigenvalues {
    private static final double EPS = Math.ulp(1.0);
    /** QR iterations per eigenvalue before {@link ConvergenceException} (exceptional shifts every 10). */
    static final int MAX_ITERATIONS_PER_EIGENVALUE = 60;

    private final double[] real;
    private final double[] imaginary;

    private Eigenvalues(double[] real, double[] imaginary) {
        this.real = real;
        this.imaginary = imaginary;
    }

    /**
     * The eigenvalues of square {@code a} (not modified).
     *
     * @throws ShapeException if {@code a} is not square
     * @throws NonFiniteMatrixException if {@code a} holds NaN or an infinity
     * @throws ConvergenceException if the QR iteration does not converge (not observed in practice)
     */
    public static Eigenvalues of(Matrix a) {
        if (a.rows() != a.cols()) {
            throw new ShapeException("eigenvalues: expected a square matrix, got " + a.rows() + "×" + a.cols());
        }
        a.requireFinite("eigenvalues");
        int n = a.rows();
        double[][] h = new double[n][n];
        double[] data = a.data();
        for (int i = 0; i < n; i++) {
            System.arraycopy(data, i * n, h[i], 0, n);
        }
        double[] wr = new double[n], wi = new double[n];
        balance(h);
        hessenberg(h);
        hqr(h, wr, wi);
        return sorted(wr, wi);
    }

    /** ρ(A) = max |λ_i| of square {@code a}; 0 for a 0×0 matrix. */
    public static double spectralRadius(Matrix a) {
        return of(a).spectralRadius();
    }

    /** Number of eigenvalues, n. */
    public int size() {
        return real.length;
    }

    /** Real parts, in the documented order; a copy. */
    public double[] real() {
        return real.clone();
    }

    /** Imaginary parts, in the documented order (0 for real eigenvalues); a copy. */
    public double[] imaginary() {
        return imaginary.clone();
    }

    /** |λ_i|, descending. */
    public double[] moduli() {
        double[] m = new double[real.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = Math.hypot(real[i], imaginary[i]);
        }
        return m;
    }

    /** ρ = max |λ_i| (0 when n = 0). */
    public double spectralRadius() {
        return real.length == 0 ? 0 : Math.hypot(real[0], imaginary[0]);
    }

    private static Eigenvalues sorted(double[] wr, double[] wi) {
        int n = wr.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Comparator<Integer> byModulus = Comparator.comparingDouble(i -> -Math.hypot(wr[i], wi[i]));
        Arrays.sort(order, byModulus.thenComparingDouble(i -> -wr[i]).thenComparingDouble(i -> -wi[i]));
        double[] r = new double[n], im = new double[n];
        for (int k = 0; k < n; k++) {
            r[k] = wr[order[k]];
            im[k] = wi[order[k]];
        }
        return new Eigenvalues(r, im);
    }

    /**
     * Parlett–Reinsch balancing: repeatedly scale row i by 1/f and column i by f (f a power of 2, so
     * no rounding) until each row and column have comparable off-diagonal 1-norms. A similarity
     * transform that reduces the norm and so the rounding errors of the QR iteration.
     */
    static void balance(double[][] a) {
        int n = a.length;
        final double radix = 2, sqrdx = radix * radix;
        boolean done = false;
        while (!done) {
            done = true;
            for (int i = 0; i < n; i++) {
                double r = 0, c = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        c += Math.abs(a[j][i]);
                        r += Math.abs(a[i][j]);
                    }
                }
                if (c == 0 || r == 0) {
                    continue;
                }
                double g = r / radix, f = 1, s = c + r;
                while (c < g) {
                    f *= radix;
                    c *= sqrdx;
                }
                g = r * radix;
                while (c > g) {
                    f /= radix;
                    c /= sqrdx;
                }
                if ((c + r) / f < 0.95 * s) {
                    done = false;
                    double inv = 1 / f;
                    for (int j = 0; j < n; j++) {
                        a[i][j] *= inv;
                    }
                    for (int j = 0; j < n; j++) {
                        a[j][i] *= f;
                    }
                }
            }
        }
    }

    /** Reduces {@code a} in place to upper Hessenberg form by Householder similarity transforms. */
    static void hessenberg(double[][] a) {
        int n = a.length;
        for (int k = 0; k < n - 2; k++) {
            int len = n - k - 1;
            double[] v = new double[len];
            double scale = 0;
            for (int i = 0; i < len; i++) {
                v[i] = a[k + 1 + i][k];
                scale = Math.max(scale, Math.abs(v[i]));
            }
            if (scale == 0) {
                continue;
            }
            double sum = 0;
            for (int i = 0; i < len; i++) {
                v[i] /= scale;
                sum += v[i] * v[i];
            }
            double alpha = v[0] > 0 ? -Math.sqrt(sum) : Math.sqrt(sum);
            v[0] -= alpha;
            double vnorm2 = 0;
            for (double x : v) {
                vnorm2 += x * x;
            }
            if (vnorm2 == 0) {
                continue;
            }
            double beta = 2 / vnorm2;
            // left: rows k+1…n−1, P·A
            for (int j = k; j < n; j++) {
                double d = 0;
                for (int i = 0; i < len; i++) {
                    d += v[i] * a[k + 1 + i][j];
                }
                d *= beta;
                for (int i = 0; i < len; i++) {
                    a[k + 1 + i][j] -= d * v[i];
                }
            }
            // right: columns k+1…n−1, A·P
            for (int i = 0; i < n; i++) {
                double[] row = a[i];
                double d = 0;
                for (int j = 0; j < len; j++) {
                    d += row[k + 1 + j] * v[j];
                }
                d *= beta;
                for (int j = 0; j < len; j++) {
                    row[k + 1 + j] -= d * v[j];
                }
            }
            a[k + 1][k] = alpha * scale;
            for (int i = k + 2; i < n; i++) {
                a[i][k] = 0;
            }
        }
    }

    /**
     * Eigenvalues of an upper Hessenberg matrix by the Francis double-shift QR iteration; {@code a}
     * is destroyed. Only the active window {@code [l, nn]} is transformed (eigenvalues need no Schur
     * vectors). Exceptional shifts after 10, 20, … iterations without deflation.
     */
    static void hqr(double[][] a, double[] wr, double[] wi) {
        int n = a.length;
        double anorm = 0;
        for (int i = 0; i < n; i++) {
            for (int j = Math.max(i - 1, 0); j < n; j++) {
                anorm += Math.abs(a[i][j]);
            }
        }
        int nn = n - 1;
        double t = 0; // accumulated exceptional shifts
        while (nn >= 0) {
            int its = 0, l;
            do {
                // look for a negligible sub-diagonal element a[l][l−1]
                for (l = nn; l > 0; l--) {
                    double s = Math.abs(a[l - 1][l - 1]) + Math.abs(a[l][l]);
                    if (s == 0) {
                        s = anorm;
                    }
                    if (Math.abs(a[l][l - 1]) <= EPS * s) {
                        a[l][l - 1] = 0;
                        break;
                    }
                }
                double x = a[nn][nn];
                if (l == nn) { // a 1×1 block deflates
                    wr[nn] = x + t;
                    wi[nn] = 0;
                    nn--;
                } else {
                    double y = a[nn - 1][nn - 1];
                    double w = a[nn][nn - 1] * a[nn - 1][nn];
                    if (l == nn - 1) { // a 2×2 block deflates: its eigenvalues x + p ± √(p² + w)
                        double p = 0.5 * (y - x);
                        double q = p * p + w;
                        double z = Math.sqrt(Math.abs(q));
                        x += t;
                        if (q >= 0) {
                            z = p + Math.copySign(z, p);
                            wr[nn - 1] = wr[nn] = x + z;
                            if (z != 0) {
                                wr[nn] = x - w / z;
                            }
                            wi[nn - 1] = wi[nn] = 0;
                        } else {
                            wr[nn - 1] = wr[nn] = x + p;
                            wi[nn - 1] = z;
                            wi[nn] = -z;
                        }
                        nn -= 2;
                    } else {
                        if (its == MAX_ITERATIONS_PER_EIGENVALUE) {
                            throw new ConvergenceException("Francis QR on a " + n + "×" + n + " matrix: expected eigenvalue "
                                    + (nn + 1) + " within " + MAX_ITERATIONS_PER_EIGENVALUE + " iterations, got none");
                        }
                        if (its > 0 && its % 10 == 0) { // exceptional shift (EISPACK's ad hoc choice)
                            t += x;
                            for (int i = 0; i <= nn; i++) {
                                a[i][i] -= x;
                            }
                            double s = Math.abs(a[nn][nn - 1]) + Math.abs(a[nn - 1][nn - 2]);
                            x = y = 0.75 * s;
                            w = -0.4375 * s * s;
                        }
                        its++;
                        francisStep(a, l, nn, x, y, w);
                    }
                }
            } while (nn >= 0 && l < nn - 1);
        }
    }

    /**
     * One implicit double-shift QR step on rows/columns {@code l…nn} with the shifts the eigenvalues
     * of the trailing 2×2 block (given by x = a[nn][nn], y = a[nn−1][nn−1], w = product of its
     * off-diagonal elements). Starts where two consecutive sub-diagonal elements are small enough.
     */
    private static void francisStep(double[][] a, int l, int nn, double x, double y, double w) {
        double p = 0, q = 0, r = 0, z, s;
        int m;
        for (m = nn - 2; m >= l; m--) {
            z = a[m][m];
            r = x - z;
            s = y - z;
            p = (r * s - w) / a[m + 1][m] + a[m][m + 1];
            q = a[m + 1][m + 1] - z - r - s;
            r = a[m + 2][m + 1];
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m == l) {
                break;
            }
            double u = Math.abs(a[m][m - 1]) * (Math.abs(q) + Math.abs(r));
            double v = Math.abs(p) * (Math.abs(a[m - 1][m - 1]) + Math.abs(z) + Math.abs(a[m + 1][m + 1]));
            if (u <= EPS * v) {
                break;
            }
        }
        for (int i = m + 2; i <= nn; i++) {
            a[i][i - 2] = 0;
            if (i != m + 2) {
                a[i][i - 3] = 0;
            }
        }
        for (int k = m; k <= nn - 1; k++) {
            boolean notLast = k != nn - 1;
            if (k != m) {
                p = a[k][k - 1];
                q = a[k + 1][k - 1];
                r = notLast ? a[k + 2][k - 1] : 0;
                x = Math.abs(p) + Math.abs(q) + Math.abs(r);
                if (x == 0) {
                    continue;
                }
                p /= x;
                q /= x;
                r /= x;
            }
            s = Math.copySign(Math.sqrt(p * p + q * q + r * r), p);
            if (s == 0) {
                continue;
            }
            if (k == m) {
                if (l != m) {
                    a[k][k - 1] = -a[k][k - 1];
                }
            } else {
                a[k][k - 1] = -s * x;
            }
            p += s;
            x = p / s;
            y = q / s;
            z = r / s;
            q /= p;
            r /= p;
            // rows k, k+1, k+2 (columns k…nn)
            for (int j = k; j <= nn; j++) {
                p = a[k][j] + q * a[k + 1][j];
                if (notLast) {
                    p += r * a[k + 2][j];
                    a[k + 2][j] -= p * z;
                }
                a[k + 1][j] -= p * y;
                a[k][j] -= p * x;
            }
            // columns k, k+1, k+2 (rows l…min(nn, k+3))
            int iMax = Math.min(nn, k + 3);
            for (int i = l; i <= iMax; i++) {
                p = x * a[i][k] + y * a[i][k + 1];
                if (notLast) {
                    p += z * a[i][k + 2];
                    a[i][k + 2] -= p * r;
                }
                a[i][k + 1] -= p * q;
                a[i][k] -= p;
            }
        }
    }
}
