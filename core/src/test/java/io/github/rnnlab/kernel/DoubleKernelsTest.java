package io.github.rnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The float64 reference activations at their special values, and against their definitions elsewhere. */
class DoubleKernelsTest {

    private static double[] silu(double... x) {
        double[] y = new double[x.length];
        DoubleKernels.silu(x.length, x, 0, y, 0);
        return y;
    }

    private static double[] siluBackward(double... x) {
        double[] dy = new double[x.length];
        java.util.Arrays.fill(dy, 1.0);
        double[] dx = new double[x.length];
        DoubleKernels.siluBackward(x.length, x, 0, dy, 0, dx, 0);
        return dx;
    }

    @Test
    void siluReachesItsLimitsAtTheInfinities() {
        double[] y = silu(Double.NEGATIVE_INFINITY, -1e300, Double.POSITIVE_INFINITY, Double.NaN, -0.0, 0.0);
        assertEquals(-0.0, y[0], 0.0);
        assertEquals(0, Double.compare(-0.0, y[0]), "silu(-inf) is -0");
        assertEquals(-0.0, y[1], 0.0);
        assertEquals(Double.POSITIVE_INFINITY, y[2]);
        assertTrue(Double.isNaN(y[3]));
        assertEquals(0, Double.compare(-0.0, y[4]));
        assertEquals(0, Double.compare(0.0, y[5]));
    }

    @Test
    void siluDerivativeReachesItsLimitsAtTheInfinities() {
        double[] d = siluBackward(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, 0.0);
        assertEquals(0.0, d[0], 0.0);
        assertEquals(1.0, d[1], 0.0);
        assertTrue(Double.isNaN(d[2]));
        assertEquals(0.5, d[3], 0.0);
    }

    @Test
    void siluAndItsDerivativeMatchTheDefinitionAndCentralDifferences() {
        for (double v = -40; v <= 40; v += 0.37) {
            double s = 1 / (1 + Math.exp(-v));
            assertEquals(v * s, silu(v)[0], 1e-15 * Math.max(1, Math.abs(v)), "silu(" + v + ")");
            double h = 1e-6;
            double numeric = (silu(v + h)[0] - silu(v - h)[0]) / (2 * h);
            assertEquals(numeric, siluBackward(v)[0], 1e-7, "silu'(" + v + ")");
        }
    }
}
