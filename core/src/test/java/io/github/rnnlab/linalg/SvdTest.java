package io.github.rnnlab.linalg;

import static io.github.rnnlab.linalg.TestMatrices.assertClose;
import static io.github.rnnlab.linalg.TestMatrices.assertOrthonormalColumns;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.numeric.Rng;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SvdTest {
    /** A = U·diag(σ)·Vᵀ, U and V orthonormal, σ descending and non-negative. */
    private static void assertValidSvd(Matrix a, Svd svd, double tol) {
        int k = Math.min(a.rows(), a.cols());
        double[] s = svd.singularValues();
        assertEquals(k, s.length);
        for (int i = 0; i < k; i++) {
            assertTrue(s[i] >= 0);
            if (i > 0) {
                assertTrue(s[i] <= s[i - 1], "not descending: " + Arrays.toString(s));
            }
        }
        assertEquals(a.rows(), svd.u().rows());
        assertEquals(k, svd.u().cols());
        assertEquals(a.cols(), svd.v().rows());
        assertEquals(k, svd.v().cols());
        assertOrthonormalColumns(svd.u(), 1e-12);
        assertOrthonormalColumns(svd.v(), 1e-12);
        Matrix back = svd.u().times(Matrix.of(k, k, TestMatrices.diagonalData(s))).times(svd.v().transpose());
        assertClose(a, back, tol);
    }

    @Test
    void diagonalMatrixGivesAbsoluteDiagonalSorted() {
        Matrix d = Matrix.diagonal(2, -7, 0.5, 0, -3);
        Svd svd = Svd.of(d);
        assertArrayEquals(new double[] {7, 3, 2, 0.5, 0}, svd.singularValues(), 1e-15);
        assertValidSvd(d, svd, 1e-14);
        assertEquals(4, svd.rank(1e-12));
        assertEquals(Double.POSITIVE_INFINITY, svd.conditionNumber());
    }

    /**
     * Rows set to zero, as in the step Jacobian of a ReLU layer with inactive units: rank-deficient, and
     * the noise-level columns it leaves must not keep the sweeps going. The singular values are those of
     * the non-zero rows, padded with zeros.
     */
    @Test
    void zeroRowsRankDeficientMatricesConverge() {
        Rng rng = new Rng(77);
        for (int n : new int[] {2, 8, 33, 64}) {
            double[] a = new double[n * n];
            double[] kept = new double[n * n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                boolean on = i % 2 == 0 || rng.nextDouble() < 0.3;
                for (int j = 0; j < n; j++) {
                    double v = rng.nextGaussian();
                    a[i * n + j] = on ? v : 0;
                    if (on) {
                        kept[k * n + j] = v;
                    }
                }
                k += on ? 1 : 0;
            }
            Matrix m = Matrix.of(n, n, a);
            Svd svd = Svd.of(m);
            double[] want = Svd.singularValues(Matrix.of(k, n, Arrays.copyOf(kept, k * n)));
            double[] got = svd.singularValues();
            for (int i = 0; i < n; i++) {
                assertEquals(i < k ? want[i] : 0, got[i], 1e-12 * want[0], "n=" + n + " σ" + i);
            }
            assertValidSvd(m, svd, 1e-12 * n);
            assertEquals(k, svd.rank(1e-10 * want[0]));
        }
    }

    /**
     * A case the property below once found (36×33, seed 5287): a pair of columns whose cosine is a
     * rounding error just above ε flipped sign at every rotation and the sweeps never ended.
     */
    @Test
    void pairsOrthogonalUpToRoundingEndTheSweeps() {
        Rng rng = new Rng(5287);
        double[] s = new double[33];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextInt(6) == 0 ? 0 : 10 * rng.nextDouble();
        }
        Matrix a = TestMatrices.withSingularValues(36, 33, s, rng);
        double[] want = s.clone();
        Arrays.sort(want);
        Svd svd = Svd.of(a);
        double[] got = svd.singularValues();
        for (int i = 0; i < 33; i++) {
            assertEquals(want[32 - i], got[i], 1e-10, "σ_" + i);
        }
        assertValidSvd(a, svd, 1e-11);
    }

    @Test
    void smallKnownMatrices() {
        // AᵀA = [[25, 20], [20, 25]]: eigenvalues 45 and 5
        Matrix a = Matrix.of(2, 2, 3, 0, 4, 5);
        assertArrayEquals(new double[] {Math.sqrt(45), Math.sqrt(5)}, Svd.singularValues(a), 1e-14);
        assertEquals(3.0, Svd.of(a).conditionNumber(), 1e-14);
        Svd one = Svd.of(Matrix.of(1, 1, -3));
        assertArrayEquals(new double[] {3}, one.singularValues());
        assertEquals(-1.0, one.u().get(0, 0) * one.v().get(0, 0), 0);
        // a row and a column vector: σ = Euclidean norm
        assertArrayEquals(new double[] {13}, Svd.singularValues(Matrix.of(1, 3, 3, 4, 12)), 1e-14);
        assertArrayEquals(new double[] {13}, Svd.singularValues(Matrix.of(3, 1, 3, 4, 12)), 1e-14);
        assertValidSvd(Matrix.of(1, 3, 3, 4, 12), Svd.of(Matrix.of(1, 3, 3, 4, 12)), 1e-14);
    }

    @Test
    void orthogonalMatrixHasUnitSingularValues() {
        Matrix q = TestMatrices.orthogonal(25, new Rng(1));
        double[] s = Svd.singularValues(q);
        for (double x : s) {
            assertEquals(1.0, x, 1e-13);
        }
        assertEquals(1.0, Svd.largestSingularValue(q).value(), 1e-13);
    }

    @Test
    void rankDeficientAndZeroMatrices() {
        // rank 1: u·vᵀ has σ₁ = ‖u‖·‖v‖ and the rest 0
        double[] u = {1, -2, 2, 0, 4}, v = {3, 0, -4, 1};
        double[] data = new double[20];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 4; j++) {
                data[i * 4 + j] = u[i] * v[j];
            }
        }
        Matrix a = Matrix.of(5, 4, data);
        Svd svd = Svd.of(a);
        double[] s = svd.singularValues();
        assertEquals(5 * Math.sqrt(26), s[0], 1e-13);
        for (int i = 1; i < 4; i++) {
            assertEquals(0, s[i], 1e-13);
        }
        assertEquals(1, svd.rank(1e-10));
        assertValidSvd(a, svd, 1e-13);
        // rank 3 of 6×6, prescribed
        Matrix b = TestMatrices.withSingularValues(6, 6, new double[] {4, 2, 1}, new Rng(5));
        Svd sb = Svd.of(b);
        assertArrayEquals(new double[] {4, 2, 1, 0, 0, 0}, sb.singularValues(), 1e-13);
        assertValidSvd(b, sb, 1e-13);
        Svd zero = Svd.of(Matrix.zeros(3, 4));
        assertArrayEquals(new double[3], zero.singularValues());
        assertValidSvd(Matrix.zeros(3, 4), zero, 0);
        assertEquals(0, Svd.singularValues(Matrix.zeros(0, 5)).length);
        assertEquals(0, Svd.largestSingularValue(Matrix.zeros(3, 4)).value());
    }

    @Test
    void extremeScalesNeitherOverflowNorUnderflow() {
        Matrix big = Matrix.of(2, 2, 3e200, 0, 4e200, 5e200);
        double[] s = Svd.singularValues(big);
        assertEquals(Math.sqrt(45) * 1e200, s[0], 1e187);
        assertEquals(Math.sqrt(5) * 1e200, s[1], 1e187);
        Matrix small = Matrix.of(2, 2, 3e-200, 0, 4e-200, 5e-200);
        assertEquals(Math.sqrt(45) * 1e-200, Svd.singularValues(small)[0], 1e-213);
    }

    @Test
    void nonFiniteInputIsRejected() {
        Matrix bad = Matrix.of(2, 2, 1, 2, Double.POSITIVE_INFINITY, 4);
        NonFiniteMatrixException e = assertThrows(NonFiniteMatrixException.class, () -> Svd.of(bad));
        assertTrue(e.getMessage().contains("(1, 0)"), e.getMessage());
        assertThrows(NonFiniteMatrixException.class, () -> Svd.singularValues(bad));
        assertThrows(NonFiniteMatrixException.class, () -> Svd.largestSingularValue(bad));
    }

    @Test
    void powerIterationIsALowerBoundThatConverges() {
        Rng rng = new Rng(17);
        Matrix a = TestMatrices.withSingularValues(60, 45, new double[] {3, 1.5, 1, 0.2}, rng);
        SingularValueEstimate e = Svd.largestSingularValue(a);
        assertTrue(e.converged());
        assertEquals(3.0, e.value(), 1e-10);
        assertTrue(e.value() <= 3.0 * (1 + 1e-14));
        // one iteration: still a lower bound, not yet converged
        SingularValueEstimate first = Svd.largestSingularValue(a, 1e-12, 1);
        assertFalse(first.converged());
        assertEquals(1, first.iterations());
        assertThrows(IllegalArgumentException.class, () -> Svd.largestSingularValue(a, 0, 10));
        // float weights at an offset, as a recurrent weight block in a parameter vector
        float[] params = new float[3 + 2 * 5];
        params[3] = 2f; // row 0: [2, 0]
        params[3 + 5 + 1] = -6f; // row 1: [0, -6], leading dimension 5
        assertEquals(6.0, Svd.largestSingularValue(Matrix.ofFloats(2, 2, params, 3, 5)).value(), 1e-12);
    }

    @Property(tries = 120)
    void singularValuesOfPrescribedConstruction(@ForAll @IntRange(min = 1, max = 40) int m,
                                                @ForAll @IntRange(min = 1, max = 40) int n,
                                                @ForAll long seed) {
        Rng rng = new Rng(seed);
        int k = Math.min(m, n);
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            // spread over [0, 10), with exact zeros now and then (rank deficiency)
            s[i] = rng.nextInt(6) == 0 ? 0 : 10 * rng.nextDouble();
        }
        double[] expected = s.clone();
        Arrays.sort(expected);
        for (int i = 0; i < k / 2; i++) {
            double t = expected[i];
            expected[i] = expected[k - 1 - i];
            expected[k - 1 - i] = t;
        }
        Matrix a = TestMatrices.withSingularValues(m, n, s, rng);
        Svd svd = Svd.of(a);
        double[] got = svd.singularValues();
        for (int i = 0; i < k; i++) {
            assertEquals(expected[i], got[i], 1e-10, "σ_" + i + " of " + m + "×" + n);
        }
        assertArrayEquals(got, Svd.singularValues(a), 1e-12);
        assertValidSvd(a, svd, 1e-11);
    }

    @Property(tries = 60)
    void powerIterationAgreesWithJacobiWhenThereIsAGap(@ForAll @IntRange(min = 1, max = 40) int m,
                                                      @ForAll @IntRange(min = 1, max = 40) int n,
                                                      @ForAll long seed) {
        Rng rng = new Rng(seed);
        int k = Math.min(m, n);
        double[] s = new double[k];
        s[0] = 2 + rng.nextDouble();
        for (int i = 1; i < k; i++) {
            s[i] = rng.nextDouble(); // σ₂/σ₁ ≤ 1/2
        }
        Matrix a = TestMatrices.withSingularValues(m, n, s, rng);
        SingularValueEstimate e = Svd.largestSingularValue(a);
        assertTrue(e.converged());
        assertEquals(Svd.singularValues(a)[0], e.value(), 1e-10 * s[0]);
    }
}
