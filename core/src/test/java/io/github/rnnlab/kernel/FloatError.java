package io.github.rnnlab.kernel;

/**
 * Measuring a float result against an exact (double) value, and the double-precision references of
 * the activations, with the limits at ±∞ the kernels document.
 *
 * <p>An error "in ulps" is {@code |y − exact| / ulp(exact)} where {@code ulp(exact)} is the float ulp at
 * the float of largest magnitude not above {@code |exact|} (so that an exact value just below a power of
 * two is measured with the finer ulp), and 2⁻¹⁴⁹ for zero and subnormal values.
 */
final class FloatError {
    /** 2⁻¹²⁶, the smallest normal float: below it, the flushing kernels may return +0. */
    static final double MIN_NORMAL = 0x1p-126;
    /** 2⁻²⁴, the unit roundoff of float. */
    static final double U = 0x1p-24;

    private FloatError() {
    }

    /** The float ulp at {@code exact}, as described in the class comment. */
    static double ulp(double exact) {
        double a = Math.abs(exact);
        float f = (float) a;
        if (f > a) {
            f = Math.nextDown(f);
        }
        if (Float.isInfinite(f)) {
            f = Float.MAX_VALUE;
        }
        return Math.ulp(f);
    }

    /**
     * The error of y in ulps of {@code exact}; 0 when both are NaN or both round to the same infinity;
     * +∞ when one is NaN and the other not, or when y or the rounded exact value is infinite and they
     * differ.
     */
    static double ulps(float y, double exact) {
        if (Double.isNaN(exact) || Float.isNaN(y)) {
            return Double.isNaN(exact) == Float.isNaN(y) ? 0 : Double.POSITIVE_INFINITY;
        }
        float rounded = (float) exact;
        if (Float.isInfinite(rounded) || Float.isInfinite(y)) {
            return rounded == y ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(y - exact) / ulp(exact);
    }

    // ---- references in double (the limits at ±∞ included) ----

    static double sigmoid(double v) {
        return DoubleKernels.sigmoid(v);
    }

    static double tanh(double v) {
        return Math.tanh(v);
    }

    static double exp(double v) {
        return Math.exp(v);
    }

    static double softplus(double v) {
        return Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v)));
    }

    /** x·σ(x); silu(−∞) = −0 (the limit). */
    static double silu(double v) {
        return v == Double.NEGATIVE_INFINITY ? -0.0 : v * sigmoid(v);
    }

    /** σ(x)·(1 + x·(1 − σ(x))) with 1 − σ(x) = σ(−x); the limits 1 at +∞ and −0 at −∞. */
    static double siluDerivative(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return 1.0;
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return -0.0;
        }
        return sigmoid(v) * (1 + v * sigmoid(-v));
    }

    /** The magnitude of the terms of the silu derivative, σ + |x|·σ·(1 − σ): its error bound is relative to this. */
    static double siluDerivativeTerms(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? 1.0 : 0.0;
        }
        double s = sigmoid(v);
        return s + Math.abs(v) * s * sigmoid(-v);
    }
}
