package io.github.rnnlab.init;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.numeric.Rng;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrthogonalTest {

    /** max |G − gain²·I| where G is the Gram matrix of the columns (r ≥ c) or rows (r < c) of an r×c block. */
    static double gramError(double[] a, int off, int r, int c, double gain) {
        int k = Math.min(r, c);
        double worst = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int p = 0; p < Math.max(r, c); p++) {
                    s += r >= c ? a[off + p * c + i] * a[off + p * c + j] : a[off + i * c + p] * a[off + j * c + p];
                }
                worst = Math.max(worst, Math.abs(s - (i == j ? gain * gain : 0)));
            }
        }
        return worst;
    }

    @Property(tries = 200, seed = "11")
    void semiOrthogonalForEveryShape(@ForAll @IntRange(min = 1, max = 20) int r, @ForAll @IntRange(min = 1, max = 20) int c,
                                     @ForAll long seed) {
        double[] q = new double[r * c + 2];
        Orthogonal.semiOrthogonal(r, c, 1.0, new Rng(seed), q, 1);
        assertTrue(gramError(q, 1, r, c, 1.0) < 1e-12, () -> r + "x" + c + ": not orthonormal");
        assertEquals(0.0, q[0]);
        assertEquals(0.0, q[r * c + 1], "writes only its r·c elements");
    }

    @Property(tries = 100, seed = "12")
    void everyGateBlockOfAStackedMatrixIsOrthogonal(@ForAll @IntRange(min = 1, max = 4) int gates,
                                                    @ForAll @IntRange(min = 1, max = 17) int hidden,
                                                    @ForAll @IntRange(min = 1, max = 17) int in,
                                                    @ForAll long seed) {
        CellConfig config = new CellConfig(in, hidden);
        Orthogonal orth = new Orthogonal(0.5);
        double[] whh = new double[gates * hidden * hidden];
        orth.fill(whh, new int[]{gates * hidden, hidden}, config, new Rng(seed));
        double[] wih = new double[gates * hidden * in];
        orth.fill(wih, new int[]{gates * hidden, in}, config, new Rng(seed + 1));
        for (int g = 0; g < gates; g++) {
            assertTrue(gramError(whh, g * hidden * hidden, hidden, hidden, 0.5) < 1e-12, "weight_hh block " + g);
            assertTrue(gramError(wih, g * hidden * in, hidden, in, 0.5) < 1e-12, "weight_ih block " + g);
        }
    }

    @Example
    void wholeModeTreatsTheStackAsOneMatrix() {
        double[] w = new double[8 * 2];
        new Orthogonal(1.0, Orthogonal.Blocks.WHOLE).fill(w, new int[]{8, 2}, new CellConfig(2, 2), new Rng(3));
        assertTrue(gramError(w, 0, 8, 2, 1.0) < 1e-12, "columns of the whole 8x2 matrix orthonormal");
        // per gate block instead: each 2x2 block orthogonal, so the columns of the stack have norm² 4
        double[] g = new double[8 * 2];
        new Orthogonal(1.0).fill(g, new int[]{8, 2}, new CellConfig(2, 2), new Rng(3));
        assertEquals(4.0, g[0] * g[0] + g[2] * g[2] + g[4] * g[4] + g[6] * g[6] + g[8] * g[8] + g[10] * g[10]
                + g[12] * g[12] + g[14] * g[14], 1e-12);
    }

    @Example
    void signCorrectionMakesTheDistributionSymmetric() {
        // Without torch's sign correction, Householder QR would give Q[0][0] = −|x₀|/‖x‖ < 0 always.
        double sum = 0;
        int negative = 0, n = 4000;
        double[] q = new double[9];
        for (int s = 0; s < n; s++) {
            Orthogonal.semiOrthogonal(3, 3, 1.0, new Rng(s), q, 0);
            sum += q[0];
            negative += q[0] < 0 ? 1 : 0;
        }
        assertEquals(0.0, sum / n, 0.03, "E[Q00] = 0 for a Haar-distributed Q");
        assertTrue(negative > 0.45 * n && negative < 0.55 * n, "sign of Q00 is a fair coin: " + negative + " of " + n);
    }

    @Example
    void vectorsAreRejected() {
        var e = assertThrows(CellConfig.InvalidConfigException.class,
                () -> new Orthogonal(1).fill(new double[4], new int[]{4}, new CellConfig(1, 4), new Rng(1)));
        assertTrue(e.getMessage().contains("[4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Orthogonal(0));
        assertThrows(IllegalArgumentException.class, () -> new Orthogonal(Double.NaN));
    }

    @Example
    void sameSeedSameMatrix() {
        double[] a = new double[35], b = new double[35];
        Orthogonal.semiOrthogonal(5, 7, 1.5, new Rng(99), a, 0);
        Orthogonal.semiOrthogonal(5, 7, 1.5, new Rng(99), b, 0);
        assertTrue(java.util.Arrays.equals(a, b));
    }
}
