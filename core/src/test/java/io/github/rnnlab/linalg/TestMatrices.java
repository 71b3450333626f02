package io.github.rnnlab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.numeric.Rng;

/** Random test matrices and assertions shared by the linalg tests. */
final class TestMatrices {
    private TestMatrices() {
    }

    static Matrix gaussian(int m, int n, Rng rng) {
        double[] d = new double[m * n];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextGaussian();
        }
        return Matrix.of(m, n, d);
    }

    /** An m×k matrix with orthonormal columns (k ≤ m), Haar-distributed: Q of a Gaussian matrix. */
    static Matrix orthonormalColumns(int m, int k, Rng rng) {
        return HouseholderQr.of(gaussian(m, k, rng)).q();
    }

    static Matrix orthogonal(int n, Rng rng) {
        return orthonormalColumns(n, n, rng);
    }

    /** Q·diag(s)·Vᵀ with Q m×k and V n×k orthonormal, k = s.length ≤ min(m, n). */
    static Matrix withSingularValues(int m, int n, double[] s, Rng rng) {
        int k = s.length;
        Matrix q = orthonormalColumns(m, k, rng), v = orthonormalColumns(n, k, rng);
        return q.times(Matrix.of(k, k, diagonalData(s))).times(v.transpose());
    }

    static double[] diagonalData(double[] s) {
        int k = s.length;
        double[] d = new double[k * k];
        for (int i = 0; i < k; i++) {
            d[i * k + i] = s[i];
        }
        return d;
    }

    /** ‖QᵀQ − I‖_max ≤ tol. */
    static void assertOrthonormalColumns(Matrix q, double tol) {
        Matrix gram = q.transpose().times(q);
        double err = gram.minus(Matrix.identity(q.cols())).maxAbs();
        assertTrue(err <= tol, "‖QᵀQ − I‖ = " + err + " for " + q.rows() + "×" + q.cols());
    }

    static void assertClose(Matrix expected, Matrix actual, double tol) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.cols(), actual.cols());
        double err = expected.minus(actual).maxAbs();
        assertTrue(err <= tol, "max difference " + err + " > " + tol);
    }
}
