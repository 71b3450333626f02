package io.github.rnnlab.tck;

/** Small dense linear algebra for the orthogonality law: singular values through the Gram matrix. */
public final class Spectra {
    private Spectra() {
    }

    /**
     * The singular values of the r×c row-major matrix {@code a} at {@code off}, in ascending order:
     * the square roots of the eigenvalues of the smaller Gram matrix (AᵀA or AAᵀ), computed by cyclic
     * Jacobi rotations in double (accurate to ~1e-15 relative for the small sizes the TCK uses).
     */
    public static double[] singularValues(double[] a, int off, int r, int c) {
        int k = Math.min(r, c);
        double[] g = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                if (r >= c) { // AᵀA, columns i and j
                    for (int p = 0; p < r; p++) {
                        s += a[off + p * c + i] * a[off + p * c + j];
                    }
                } else {      // AAᵀ, rows i and j
                    for (int p = 0; p < c; p++) {
                        s += a[off + i * c + p] * a[off + j * c + p];
                    }
                }
                g[i * k + j] = s;
            }
        }
        double[] ev = symmetricEigenvalues(g, k);
        double[] sv = new double[k];
        for (int i = 0; i < k; i++) {
            sv[i] = Math.sqrt(Math.max(ev[i], 0));
        }
        java.util.Arrays.sort(sv);
        return sv;
    }

    /** The eigenvalues of the symmetric n×n matrix {@code s} (overwritten), by cyclic Jacobi rotations. */
    public static double[] symmetricEigenvalues(double[] s, int n) {
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    off += s[i * n + j] * s[i * n + j];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = s[p * n + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (s[q * n + q] - s[p * n + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1), sn = t * c;
                    for (int k = 0; k < n; k++) { // columns p, q
                        double akp = s[k * n + p], akq = s[k * n + q];
                        s[k * n + p] = c * akp - sn * akq;
                        s[k * n + q] = sn * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // rows p, q
                        double apk = s[p * n + k], aqk = s[q * n + k];
                        s[p * n + k] = c * apk - sn * aqk;
                        s[q * n + k] = sn * apk + c * aqk;
                    }
                }
            }
        }
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            ev[i] = s[i * n + i];
        }
        java.util.Arrays.sort(ev);
        return ev;
    }
}
