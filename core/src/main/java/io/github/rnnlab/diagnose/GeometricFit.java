package io.github.rnnlab.diagnose;

/**
 * A least-squares fit of {@code ln ‖g_d‖ ≈ a + β·d} to gradient norms {@code g_d} measured at distances
 * {@code d} from the loss: the per-step rate {@code ρ = e^β} by which the gradient shrinks (ρ &lt; 1) or
 * grows (ρ &gt; 1) with every step it travels back. For a product of d step Jacobians with a common
 * scale, {@code ‖g_d‖ ≈ ‖g_0‖·ρ^d}.
 *
 * <p>Only finite, positive norms enter the fit. {@link #reachedZero()} says whether a norm was exactly 0
 * (the gradient died completely, e.g. every ReLU unit off); {@link #nonFinite()} whether one was NaN or
 * infinite (it overflowed).
 *
 * @param slope        β, the fitted slope of ln ‖g‖ per step of distance (NaN with fewer than 2 points)
 * @param intercept    a, the fitted ln ‖g‖ at distance 0
 * @param points       how many norms entered the fit
 * @param firstDistance the smallest distance fitted
 * @param lastDistance the largest distance fitted
 * @param reachedZero  whether some norm was exactly 0
 * @param nonFinite    whether some norm was NaN or infinite
 */
public record GeometricFit(double slope, double intercept, int points, int firstDistance, int lastDistance,
                           boolean reachedZero, boolean nonFinite) {

    /**
     * Fits the norms {@code norms[i]} measured at distances {@code distances[i]}.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static GeometricFit of(int[] distances, double[] norms) {
        if (distances.length != norms.length) {
            throw new IllegalArgumentException("a fit needs one norm per distance: expected " + distances.length + ", got " + norms.length);
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0, first = Integer.MAX_VALUE, last = Integer.MIN_VALUE;
        boolean zero = false, nonFinite = false;
        for (int i = 0; i < norms.length; i++) {
            double g = norms[i];
            if (!Double.isFinite(g)) {
                nonFinite = true;
                continue;
            }
            if (g <= 0) {
                zero = true;
                continue;
            }
            double x = distances[i], y = Math.log(g);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            n++;
            first = Math.min(first, distances[i]);
            last = Math.max(last, distances[i]);
        }
        double slope = Double.NaN, intercept = Double.NaN;
        if (n >= 2) {
            double mx = sx / n, my = sy / n;
            double vx = sxx / n - mx * mx;
            slope = vx > 0 ? (sxy / n - mx * my) / vx : Double.NaN;
            intercept = my - slope * mx;
        } else if (n == 1) {
            intercept = sy;
        }
        return new GeometricFit(slope, intercept, n, n == 0 ? 0 : first, n == 0 ? 0 : last, zero, nonFinite);
    }

    /** Fits norms measured at distances 1, 2, …, {@code norms.length}. */
    public static GeometricFit ofConsecutive(double[] norms) {
        int[] d = new int[norms.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = i + 1;
        }
        return of(d, norms);
    }

    /** ρ = e^β, the fitted factor per step (NaN with fewer than 2 points). */
    public double rate() {
        return Math.exp(slope);
    }

    /** log₁₀ of the fitted change of the norm over the fitted window, β·(last − first)/ln 10. */
    public double log10Change() {
        return slope * (lastDistance - firstDistance) / Math.log(10);
    }

    /** The fitted log₁₀ change over {@code steps} steps, β·steps/ln 10. */
    public double log10ChangeOver(int steps) {
        return slope * steps / Math.log(10);
    }
}
