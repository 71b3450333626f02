package io.github.rnnlab.kernel;

import java.util.function.DoubleUnaryOperator;

/**
 * The elementwise activations with their twins, their double-precision reference and the error bound
 * their SIMD variant documents (keep in step with the Javadoc of {@link Activations}).
 */
enum Activation {
    EXP(Activations::expSimd, Activations::expScalar, FloatError::exp, 1.1, false),
    SIGMOID(Activations::sigmoidSimd, Activations::sigmoidScalar, FloatError::sigmoid, 2.5, true),
    TANH(Activations::tanhSimd, Activations::tanhScalar, FloatError::tanh, 2.6, false),
    SOFTPLUS(Activations::softplusSimd, Activations::softplusScalar, FloatError::softplus, 2.0, true),
    SILU(Activations::siluSimd, Activations::siluScalar, FloatError::silu, 3.4, false);

    /** {@code (n, x, xOff, y, yOff)}. */
    interface Kernel {
        void apply(int n, float[] x, int xOff, float[] y, int yOff);
    }

    final Kernel simd;
    final Kernel scalar;
    final DoubleUnaryOperator exact;
    /** The documented maximum error of the SIMD variant, in ulps of the exact value. */
    final double maxUlps;
    /** Whether results whose exact value is below 2⁻¹²⁶ may be flushed to +0 instead. */
    final boolean flushesSubnormals;

    Activation(Kernel simd, Kernel scalar, DoubleUnaryOperator exact, double maxUlps, boolean flushesSubnormals) {
        this.simd = simd;
        this.scalar = scalar;
        this.exact = exact;
        this.maxUlps = maxUlps;
        this.flushesSubnormals = flushesSubnormals;
    }

    /**
     * The error of the SIMD result y at x as a fraction of the documented bound (≤ 1 means within it):
     * ulps / maxUlps, or, in the flush zone, |y − exact| / 2⁻¹²⁶ with y required to be ≥ 0.
     */
    double errorRatio(float x, float y) {
        double e = exact.applyAsDouble(x);
        if (flushesSubnormals && !Double.isNaN(e) && Math.abs(e) < FloatError.MIN_NORMAL) {
            return y >= 0 ? Math.abs(y - e) / FloatError.MIN_NORMAL : Double.POSITIVE_INFINITY;
        }
        return FloatError.ulps(y, e) / maxUlps;
    }

    String describe(float x, float y) {
        double e = exact.applyAsDouble(x);
        return String.format("%s(%s) [bits %08x]: simd %s, exact %s, %.3f ulps (bound %s%s)", name().toLowerCase(), x,
                Float.floatToRawIntBits(x), y, e, FloatError.ulps(y, e), maxUlps,
                flushesSubnormals ? ", or ≤ 2⁻¹²⁶ absolute below 2⁻¹²⁶" : "");
    }
}
