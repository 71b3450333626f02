package io.github.rnnlab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Rng;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class EigenvaluesTest {
    @Test
    void diagonalAndTriangular() {
        Eigenvalues d = Eigenvalues.of(Matrix.diagonal(1, -4, 2.5, 0));
        assertArrayEquals(new double[] {-4, 2.5, 1, 0}, d.real(), 0);
        assertArrayEquals(new double[4], d.imaginary(), 0);
        assertEquals(4, d.spectralRadius());
        // non-normal upper triangular: eigenvalues on the diagonal
        Eigenvalues t = Eigenvalues.of(Matrix.of(3, 3, 1, 5, 7, 0, -3, 2, 0, 0, 2));
        assertArrayEquals(new double[] {-3, 2, 1}, t.real(), 1e-13);
    }

    @Test
    void rotationBlocksGiveComplexPairsOfModulusR() {
        double r = 0.9, theta = 0.7;
        Matrix rot = Matrix.of(2, 2, r * Math.cos(theta), -r * Math.sin(theta), r * Math.sin(theta), r * Math.cos(theta));
        Eigenvalues e = Eigenvalues.of(rot);
        assertArrayEquals(new double[] {r * Math.cos(theta), r * Math.cos(theta)}, e.real(), 1e-15);
        assertArrayEquals(new double[] {r * Math.sin(theta), -r * Math.sin(theta)}, e.imaginary(), 1e-15);
        assertEquals(r, e.spectralRadius(), 1e-15);
        // 90° rotation: ±i
        Eigenvalues quarter = Eigenvalues.of(Matrix.of(2, 2, 0, -1, 1, 0));
        assertArrayEquals(new double[] {1, -1}, quarter.imaginary(), 1e-15);
        assertArrayEquals(new double[] {0, 0}, quarter.real(), 1e-15);
    }

    @Test
    void hiddenRotationBlocksUnderOrthogonalSimilarity() {
        // blocks r·R(θ) for (r, θ) = (1.2, 0.3), (0.5, 2.0), (1.0, π/2), plus real 0.8 and −1.1
        double[][] blocks = {{1.2, 0.3}, {0.5, 2.0}, {1.0, Math.PI / 2}};
        int n = 8;
        double[] b = new double[n * n];
        for (int k = 0; k < 3; k++) {
            double r = blocks[k][0], th = blocks[k][1];
            int i = 2 * k;
            b[i * n + i] = r * Math.cos(th);
            b[i * n + i + 1] = -r * Math.sin(th);
            b[(i + 1) * n + i] = r * Math.sin(th);
            b[(i + 1) * n + i + 1] = r * Math.cos(th);
        }
        b[6 * n + 6] = 0.8;
        b[7 * n + 7] = -1.1;
        Matrix q = TestMatrices.orthogonal(n, new Rng(3));
        Matrix a = q.times(Matrix.of(n, n, b)).times(q.transpose());
        Eigenvalues e = Eigenvalues.of(a);
        assertArrayEquals(new double[] {1.2, 1.2, 1.1, 1.0, 1.0, 0.8, 0.5, 0.5}, e.moduli(), 1e-13);
        assertEquals(1.2, e.spectralRadius(), 1e-13);
        double[] im = e.imaginary();
        assertEquals(1.2 * Math.sin(0.3), im[0], 1e-13);
        assertEquals(-im[0], im[1], 0);
        assertEquals(0, im[2], 0); // −1.1 is real
    }

    @Test
    void orthogonalMatrixHasSpectralRadiusOne() {
        for (int n : new int[] {1, 2, 3, 17, 40}) {
            Matrix q = TestMatrices.orthogonal(n, new Rng(n));
            for (double modulus : Eigenvalues.of(q).moduli()) {
                assertEquals(1.0, modulus, 1e-12, "n=" + n);
            }
            assertEquals(1.0, Eigenvalues.spectralRadius(q), 1e-12);
        }
    }

    @Test
    void companionMatrixRootsAndJordanBlock() {
        // (x−1)(x−2)(x−3)(x+4) = x⁴ − 2x³ − 13x² + 38x − 24; companion matrix with last row the
        // negated lower coefficients
        Matrix c = Matrix.of(4, 4, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 24, -38, 13, 2);
        Eigenvalues e = Eigenvalues.of(c);
        assertArrayEquals(new double[] {-4, 3, 2, 1}, e.real(), 1e-12);
        assertArrayEquals(new double[4], e.imaginary(), 1e-12);
        // x² + 1 in companion form: ±i
        Eigenvalues i = Eigenvalues.of(Matrix.of(2, 2, 0, 1, -1, 0));
        assertArrayEquals(new double[] {1, -1}, i.imaginary(), 1e-15);
        // nilpotent Jordan block: 0, 0
        assertArrayEquals(new double[] {0, 0}, Eigenvalues.of(Matrix.of(2, 2, 0, 1, 0, 0)).moduli(), 0);
        assertEquals(0, Eigenvalues.spectralRadius(Matrix.zeros(5, 5)));
        assertEquals(0, Eigenvalues.spectralRadius(Matrix.zeros(0, 0)));
        assertEquals(3.5, Eigenvalues.spectralRadius(Matrix.of(1, 1, -3.5)));
    }

    @Test
    void cyclicPermutationsNeedExceptionalShiftsAndGiveRootsOfUnity() {
        // the standard QR stall case: every shift from the trailing 2×2 block is useless at first
        for (int n = 2; n <= 12; n++) {
            double[] p = new double[n * n];
            for (int i = 0; i < n; i++) {
                p[((i + 1) % n) * n + i] = 1;
            }
            Eigenvalues e = Eigenvalues.of(Matrix.of(n, n, p));
            double[] re = e.real(), im = e.imaginary();
            // each eigenvalue is some e^{2πik/n}, and all n of them occur
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                double angle = Math.atan2(im[i], re[i]);
                int k = (int) Math.round(angle / (2 * Math.PI / n));
                k = ((k % n) + n) % n;
                assertEquals(Math.cos(2 * Math.PI * k / n), re[i], 1e-12, "n=" + n);
                assertEquals(Math.sin(2 * Math.PI * k / n), im[i], 1e-12, "n=" + n);
                seen[k] = true;
            }
            for (boolean s : seen) {
                assertTrue(s, "missing root of unity for n=" + n);
            }
            assertEquals(1.0, e.spectralRadius(), 1e-12);
        }
    }

    @Test
    void badlyScaledMatrixIsBalanced() {
        // D·S·D⁻¹ with D = diag(1, 1e6, 1e-6, 1e3): same eigenvalues as the symmetric S
        Rng rng = new Rng(9);
        double[] lambda = {3, -2, 0.5, 0.25};
        Matrix q = TestMatrices.orthogonal(4, rng);
        Matrix s = q.times(Matrix.diagonal(lambda)).times(q.transpose());
        double[] dd = {1, 1e6, 1e-6, 1e3};
        double[] scaled = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                scaled[i * 4 + j] = dd[i] * s.get(i, j) / dd[j];
            }
        }
        Eigenvalues e = Eigenvalues.of(Matrix.of(4, 4, scaled));
        assertArrayEquals(new double[] {3, -2, 0.5, 0.25}, e.real(), 1e-10);
    }

    @Test
    void randomGeneralMatricesSatisfyTraceIdentities() {
        // no closed form for a random nonsymmetric matrix: check Σλ = tr A and Σλ² = tr A², and ρ ≤ σ₁
        Rng rng = new Rng(21);
        for (int n : new int[] {2, 3, 5, 16, 33, 40}) {
            Matrix a = TestMatrices.gaussian(n, n, rng);
            Eigenvalues e = Eigenvalues.of(a);
            double[] re = e.real(), im = e.imaginary();
            double sum = 0, sumIm = 0, sumSq = 0;
            for (int i = 0; i < n; i++) {
                sum += re[i];
                sumIm += im[i];
                sumSq += re[i] * re[i] - im[i] * im[i];
            }
            Matrix a2 = a.times(a);
            double tr = 0, tr2 = 0;
            for (int i = 0; i < n; i++) {
                tr += a.get(i, i);
                tr2 += a2.get(i, i);
            }
            assertEquals(tr, sum, 1e-10 * n);
            assertEquals(0, sumIm, 1e-10 * n);
            assertEquals(tr2, sumSq, 1e-9 * n * n);
            // each complex eigenvalue has its conjugate
            for (int i = 0; i < n; i++) {
                if (im[i] != 0) {
                    boolean found = false;
                    for (int j = 0; j < n; j++) {
                        found |= j != i && Math.abs(re[j] - re[i]) < 1e-12 && im[j] == -im[i];
                    }
                    assertTrue(found, "no conjugate for " + re[i] + " + " + im[i] + "i");
                }
            }
            assertTrue(e.spectralRadius() <= Svd.singularValues(a)[0] * (1 + 1e-12));
        }
    }

    @Test
    void rejectsNonSquareAndNonFinite() {
        ShapeException e = assertThrows(ShapeException.class, () -> Eigenvalues.of(Matrix.zeros(3, 4)));
        assertTrue(e.getMessage().contains("expected a square matrix, got 3×4"), e.getMessage());
        assertThrows(NonFiniteMatrixException.class, () -> Eigenvalues.of(Matrix.of(2, 2, 1, 0, 0, Double.NaN)));
    }

    @Property(tries = 150)
    void spectralRadiusOfSymmetricConstruction(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed) {
        Rng rng = new Rng(seed);
        double[] lambda = new double[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            lambda[i] = rng.uniform(-5, 5);
            max = Math.max(max, Math.abs(lambda[i]));
        }
        Matrix q = TestMatrices.orthogonal(n, rng);
        Matrix a = q.times(Matrix.diagonal(lambda)).times(q.transpose());
        Eigenvalues e = Eigenvalues.of(a);
        assertEquals(max, e.spectralRadius(), 1e-10);
        double[] expected = lambda.clone(), got = e.real();
        Arrays.sort(expected);
        Arrays.sort(got);
        assertArrayEquals(expected, got, 1e-10);
        for (double x : e.imaginary()) {
            assertEquals(0, x, 1e-10);
        }
    }

    @Property(tries = 100)
    void moduliOfRotationBlocksUnderSimilarity(@ForAll @IntRange(min = 1, max = 20) int blocks, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int n = 2 * blocks;
        double[] b = new double[n * n];
        double[] moduli = new double[n];
        for (int k = 0; k < blocks; k++) {
            double r = rng.uniform(0.1, 2), th = rng.uniform(0.05, Math.PI - 0.05);
            int i = 2 * k;
            b[i * n + i] = b[(i + 1) * n + i + 1] = r * Math.cos(th);
            b[i * n + i + 1] = -r * Math.sin(th);
            b[(i + 1) * n + i] = r * Math.sin(th);
            moduli[i] = moduli[i + 1] = r;
        }
        Matrix q = TestMatrices.orthogonal(n, rng);
        Eigenvalues e = Eigenvalues.of(q.times(Matrix.of(n, n, b)).times(q.transpose()));
        double[] expected = moduli.clone(), got = e.moduli();
        Arrays.sort(expected);
        Arrays.sort(got);
        assertArrayEquals(expected, got, 1e-10);
    }
}
