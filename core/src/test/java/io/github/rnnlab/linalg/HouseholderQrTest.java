package io.github.rnnlab.linalg;

import static io.github.rnnlab.linalg.TestMatrices.assertClose;
import static io.github.rnnlab.linalg.TestMatrices.assertOrthonormalColumns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rnnlab.numeric.Rng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HouseholderQrTest {
    @Test
    void textbookExample() {
        // The classic example (e.g. Trefethen & Bau): R = [[14, 21, −14], [0, 175, −70], [0, 0, 35]].
        Matrix a = Matrix.of(3, 3, 12, -51, 4, 6, 167, -68, -4, 24, -41);
        HouseholderQr qr = HouseholderQr.of(a);
        assertClose(Matrix.of(3, 3, 14, 21, -14, 0, 175, -70, 0, 0, 35), qr.r(), 1e-12);
        assertClose(Matrix.of(3, 3, 6 / 7.0, -69 / 175.0, -58 / 175.0, 3 / 7.0, 158 / 175.0, 6 / 175.0,
                -2 / 7.0, 6 / 35.0, -33 / 35.0), qr.q(), 1e-14);
    }

    @Test
    void edgeShapes() {
        HouseholderQr one = HouseholderQr.of(Matrix.of(1, 1, -2.5));
        assertEquals(-1.0, one.q().get(0, 0));
        assertEquals(2.5, one.r().get(0, 0));
        HouseholderQr empty = HouseholderQr.of(Matrix.zeros(4, 0));
        assertEquals(4, empty.q().rows());
        assertEquals(0, empty.q().cols());
        assertEquals(0, empty.r().rows());
        HouseholderQr zero = HouseholderQr.of(Matrix.zeros(3, 2));
        assertOrthonormalColumns(zero.q(), 0);
        assertEquals(0, zero.r().maxAbs());
        // a rank-deficient matrix still gets orthonormal Q
        Matrix rank1 = Matrix.of(3, 3, 1, 2, 3, 2, 4, 6, 3, 6, 9);
        HouseholderQr d = HouseholderQr.of(rank1);
        assertOrthonormalColumns(d.q(), 1e-14);
        assertClose(rank1, d.q().times(d.r()), 1e-13);
        assertThrows(NonFiniteMatrixException.class, () -> HouseholderQr.of(Matrix.of(1, 2, 1, Double.NaN)));
    }

    @Property(tries = 150)
    void factorsReproduceTheMatrix(@ForAll @IntRange(min = 0, max = 40) int m, @ForAll @IntRange(min = 0, max = 40) int n,
                                   @ForAll long seed) {
        Matrix a = TestMatrices.gaussian(m, n, new Rng(seed));
        HouseholderQr qr = HouseholderQr.of(a);
        int k = Math.min(m, n);
        Matrix q = qr.q(), r = qr.r();
        assertEquals(m, q.rows());
        assertEquals(k, q.cols());
        assertEquals(k, r.rows());
        assertEquals(n, r.cols());
        assertOrthonormalColumns(q, 1e-13);
        assertClose(a, q.times(r), 1e-13 * Math.max(1, a.maxAbs()) * Math.max(1, Math.max(m, n)));
        for (int i = 0; i < k; i++) {
            assertTrue(r.get(i, i) >= 0, "negative diagonal");
            for (int j = 0; j < Math.min(i, n); j++) {
                assertEquals(0.0, r.get(i, j), "R below the diagonal");
            }
        }
    }
}
