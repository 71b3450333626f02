package io.github.rnnlab.diagnose;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeometricFitTest {

    private static double[] geometric(double first, double rate, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = first * Math.pow(rate, i);
        }
        return g;
    }

    @Test
    void anExactGeometricSequenceGivesItsRate() {
        GeometricFit f = GeometricFit.ofConsecutive(geometric(3.0, 0.7, 50));
        assertEquals(0.7, f.rate(), 1e-12);
        assertEquals(Math.log(0.7), f.slope(), 1e-12);
        assertEquals(Math.log(3.0 / 0.7), f.intercept(), 1e-10); // distance 0 lies one step before distance 1
        assertEquals(50, f.points());
        assertEquals(1, f.firstDistance());
        assertEquals(50, f.lastDistance());
        assertEquals(49 * Math.log10(0.7), f.log10Change(), 1e-10);
        assertEquals(100 * Math.log10(0.7), f.log10ChangeOver(100), 1e-10);
        assertFalse(f.reachedZero());
        assertFalse(f.nonFinite());
    }

    @Test
    void noiseAroundARateIsAveragedOut() {
        double[] g = geometric(1, 1.1, 40);
        for (int i = 0; i < g.length; i++) {
            g[i] *= i % 2 == 0 ? 1.5 : 1 / 1.5; // symmetric in log space
        }
        assertEquals(1.1, GeometricFit.ofConsecutive(g).rate(), 0.01);
    }

    @Test
    void zerosAndOverflowsAreFlaggedAndLeftOut() {
        GeometricFit f = GeometricFit.of(new int[] {1, 2, 3, 4, 5}, new double[] {1, 0.5, 0, Double.NaN, 0.0625});
        assertTrue(f.reachedZero());
        assertTrue(f.nonFinite());
        assertEquals(3, f.points());
        assertEquals(0.5, f.rate(), 1e-12);
        assertEquals(5, f.lastDistance());
    }

    @Test
    void tooFewPointsHaveNoRate() {
        assertTrue(Double.isNaN(GeometricFit.ofConsecutive(new double[] {2}).rate()));
        assertEquals(Verdict.UNDETERMINED, Verdict.of(GeometricFit.ofConsecutive(new double[] {2}), Verdict.Thresholds.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> GeometricFit.of(new int[] {1, 2}, new double[] {1}));
    }

    @Test
    void verdictsFollowTheThresholds() {
        Verdict.Thresholds t = Verdict.Thresholds.DEFAULT;
        assertEquals(Verdict.VANISHING, Verdict.of(GeometricFit.ofConsecutive(geometric(1, 0.97, 30)), t));
        assertEquals(Verdict.STABLE, Verdict.of(GeometricFit.ofConsecutive(geometric(1, 0.99, 30)), t));
        assertEquals(Verdict.STABLE, Verdict.of(GeometricFit.ofConsecutive(geometric(1, 1.01, 30)), t));
        assertEquals(Verdict.EXPLODING, Verdict.of(GeometricFit.ofConsecutive(geometric(1, 1.03, 30)), t));
        assertEquals(Verdict.VANISHING, Verdict.of(GeometricFit.ofConsecutive(geometric(1, 0.99, 30)), new Verdict.Thresholds(0.005)));
        // a gradient that reached exactly 0 vanished; one that overflowed exploded
        assertEquals(Verdict.VANISHING, Verdict.of(GeometricFit.ofConsecutive(new double[] {1, 1, 1, 0}), t));
        assertEquals(Verdict.EXPLODING, Verdict.of(GeometricFit.ofConsecutive(new double[] {1, 1, 1, Double.POSITIVE_INFINITY}), t));
        assertThrows(io.github.rnnlab.cell.CellConfig.InvalidConfigException.class, () -> new Verdict.Thresholds(0));
        assertEquals(Verdict.EXPLODING, Verdict.VANISHING.worse(Verdict.EXPLODING));
        assertEquals(Verdict.VANISHING, Verdict.STABLE.worse(Verdict.VANISHING));
        assertEquals(Verdict.STABLE, Verdict.UNDETERMINED.worse(Verdict.STABLE));
    }
}
