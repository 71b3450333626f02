package io.github.rnnlab.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Activation functions and their derivatives on {@code float[]} vectors ((array, offset), n
 * contiguous elements; the output may be the input region, in place).
 *
 * <p>The scalar twins evaluate each function in double with {@link Math} and round once, so they are
 * correctly rounded up to one float ulp; they are the reference the Vector API variants are
 * measured against.
 *
 * <p>The Vector API variants are built from one exponential, {@code e^a = 2ⁿ·e^r} with
 * {@code n = round(a·log₂e)} and {@code r = a − n·ln 2} (Cody–Waite: ln 2 split into a 9-bit head and a
 * tail, so {@code |r| ≤ ln 2 / 2} is computed almost exactly), {@code e^r} from a degree-6 polynomial
 * (minimax for the relative error) evaluated by Horner's rule with fused multiply-adds, and {@code 2ⁿ}
 * built from exponent bits: for {@link #expSimd} and {@link #siluSimd} as two normal factors
 * {@code 2^⌊n/2⌋·2^(n−⌊n/2⌋)}, so that subnormal results are rounded once and overflow gives +∞; for
 * sigmoid, softplus and their derivatives as one factor, which flushes results below 2⁻¹²⁶ to +0 (three
 * operations fewer; documented per kernel). Only lanewise add/mul/fma/div, compares, blends and
 * integer shifts are used, and no masked loops: tails run the scalar twin. This is portable and gives
 * the same bits on every JDK and CPU with the same lane count; {@code lanewise(VectorOperators.EXP)}
 * (Intel SVML stubs on x86) measured 1.6–1.9× faster than {@link #expSimd} on JDK 17 and 25 on AVX-512,
 * but sigmoid built on it was only 1.0–1.4× faster, tanh on it no faster than {@link #tanhSimd}, its
 * accuracy is the library's and not testable here, and without the stubs it falls back to scalar code.
 *
 * <p>Each SIMD variant states its maximum error against {@link Math} evaluated in double, measured over
 * all 2³² floats (and kept honest by {@code ActivationAccuracyTest}, which sweeps every 64th float and a
 * dense grid over [−20, 20]), and its behaviour at ±0, ±∞, NaN, huge magnitudes and subnormals. An
 * error "in ulps" is {@code |y − f(x)| / ulp(f(x))} with the float ulp at the exact value (2⁻¹⁴⁹ for
 * zero and subnormal values).
 *
 * <p>Derivatives take the quantity they are cheapest from: {@code sigmoid}, {@code tanh} and
 * {@code relu} from their output y, {@code softplus} and {@code silu} from their input x; all
 * compute {@code dx = dy ⊙ f'} and may write dx over dy.
 */
public final class Activations {
    private static final VectorSpecies<Float> S = Simd.FLOATS;
    private static final int L = Simd.LANES;

    // e^a = 2ⁿ·e^r, n = round(a·log₂e), r = a − n·(LN2_HI + LN2_LO)
    private static final float LN2_HI = 0.693359375f;      // 9 significant bits: n·LN2_HI is exact for |n| < 2¹⁵
    private static final float LN2_LO = -2.12194440e-4f;   // ln 2 − LN2_HI
    private static final float ROUND = 12582912f;          // 1.5·2²³: a + ROUND rounds a to an integer in the low bits
    /** Arguments below are clamped: n ≥ −251 keeps both 2ⁿ factors normal, and e^−174 underflows to 0. */
    private static final float EXP_LO = -174f;
    /** Arguments above are clamped: n ≤ 129 keeps both 2ⁿ factors finite, and e^89 overflows to +∞. */
    private static final float EXP_HI = 89f;
    /** Above √2 − 1, log1p(e) is reduced to ln 2 + log1p((e − 1)/2). */
    private static final float SQRT2_M1 = 0.41421356f;
    /** Beyond ±174, σ(x) or 1 − σ(x) underflows to 0 in float, so silu and its derivative have reached their limits. */
    private static final float SILU_CLAMP = 174f;

    // Constants as vectors: a broadcast per use would inflate C2's graph past its inlining cutoff.
    private static final FloatVector ONE = c(1f), ZERO = c(0f), HALF = c(0.5f), MINUS_HALF = c(-0.5f);
    private static final FloatVector LOG2E = c(1.44269504088896341f), ROUNDV = c(ROUND);
    private static final FloatVector MINUS_LN2_HI = c(-LN2_HI), MINUS_LN2_LO = c(-LN2_LO);
    private static final FloatVector LN2_HIV = c(LN2_HI), LN2_LOV = c(LN2_LO);
    // e^r ≈ 1 + r·(1 + r·(E2 + r·(E3 + r·(E4 + r·(E5 + r·E6))))) on |r| ≤ ln2/2: minimax for the relative
    // error (Lawson's algorithm), 1.7·10⁻⁸ with these float coefficients
    private static final FloatVector E2 = c(0x1.fffffcp-2f), E3 = c(0x1.55541ap-3f), E4 = c(0x1.55580cp-5f),
            E5 = c(0x1.126758p-7f), E6 = c(0x1.6af7cap-10f);
    // log1p f ≈ f − f²/2 + f³·R(f) on −0.2929 ≤ f ≤ 0.4142 (Cephes logf)
    private static final FloatVector LR0 = c(7.0376836292e-2f), LR1 = c(-1.1514610310e-1f), LR2 = c(1.1676998740e-1f),
            LR3 = c(-1.2420140846e-1f), LR4 = c(1.4249322787e-1f), LR5 = c(-1.6668057665e-1f),
            LR6 = c(2.0000714765e-1f), LR7 = c(-2.4999993993e-1f), LR8 = c(3.3333331174e-1f);
    private static final FloatVector EXP_LOV = c(EXP_LO), EXP_HIV = c(EXP_HI),
            SQRT2_M1V = c(SQRT2_M1), SILU_LOV = c(-SILU_CLAMP), SILU_HIV = c(SILU_CLAMP), MINUS_TWO = c(-2f);
    private static final VectorSpecies<Integer> INTS = S.withLanes(int.class);
    /** Bits of ROUND + n minus this are n + 254 = (⌊n/2⌋ + 127) + (n − ⌊n/2⌋ + 127). */
    private static final IntVector EXP_BIAS = IntVector.broadcast(INTS, Float.floatToRawIntBits(ROUND) - 254);
    /** Bits of ROUND + n minus this are n + 127, the biased exponent of 2ⁿ. */
    private static final IntVector EXP_BIAS1 = IntVector.broadcast(INTS, Float.floatToRawIntBits(ROUND) - 127);
    /** Arguments of the one-factor exponential are clamped here: n ≥ −126, so 2ⁿ is normal. */
    private static final FloatVector EXP1_LOV = c(-87f);
    private static final IntVector SIGN_BIT = IntVector.broadcast(INTS, 0x80000000), INT_ZERO = IntVector.zero(INTS);

    private Activations() {
    }

    // ---------------------------------------------------------------------------------------------
    // sigmoid

    /** {@code y = σ(x) = 1 / (1 + e^(−x))}. x: n, not modified; y: n, written (may be x). */
    public static void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) sigmoidSimd(n, x, xOff, y, yOff); else sigmoidScalar(n, x, xOff, y, yOff);
    }

    /**
     * {@code y = σ(x)}, computed as {@code 1/(1 + e)} for x ≥ 0 and {@code e/(1 + e)} for x < 0 with
     * {@code e = e^(−|x|)}, so nothing overflows.
     *
     * <p>Error: at most 2.5 ulps (2.40 measured over all floats) where the exact σ(x) is at least 2⁻¹²⁶;
     * as a relative error, at most 3·2⁻²⁴ (2.98 measured). Smaller results (x < −87.34) are flushed to +0 or
     * rounded once into the subnormals, with an absolute error below 2⁻¹²⁶: σ(x) = +0 for
     * x ≤ −87.68312, where the scalar twin still returns subnormals down to −103.97.
     * Special values: σ(±0) = 0.5, σ(+∞) = 1, σ(−∞) = +0, σ(NaN) = NaN, σ(subnormal) = 0.5;
     * σ(x) = 1 for x ≥ 16.6355 (the correctly rounded value is 1 from 17.3287 on; in between it is
     * 1 − 2⁻²⁴, one ulp away).
     */
    public static void sigmoidSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            sigmoid(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        sigmoidScalar(n - i, x, xOff + i, y, yOff + i); // scalar tail
    }

    public static void sigmoidScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) (1.0 / (1.0 + Math.exp(-(double) x[xOff + i])));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // tanh

    /** {@code y = tanh(x)}. x: n, not modified; y: n, written (may be x). */
    public static void tanh(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) tanhSimd(n, x, xOff, y, yOff); else tanhScalar(n, x, xOff, y, yOff);
    }

    /**
     * {@code y = tanh(x) = sign(x)·(−m)/(2 + m)} with {@code m = expm1(−2|x|)} computed as
     * {@code 2ⁿ·(r + r²·q(r)) + (2ⁿ − 1)}: no cancellation near 0, nothing overflows.
     *
     * <p>Error: at most 2.6 ulps over all floats (2.52 measured; relative, so also near 0).
     * Special values: tanh(±0) = ±0 (the sign is kept), tanh(±∞) = ±1, tanh(NaN) = NaN; tanh(x) = x
     * exactly for |x| < 2⁻²⁵ (subnormals included), as the correctly rounded value; |tanh(x)| = 1 for
     * |x| ≥ 8.4911 (correctly rounded from 9.0109 on; in between, within the bound).
     */
    public static void tanhSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            tanh(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        tanhScalar(n - i, x, xOff + i, y, yOff + i); // scalar tail
    }

    public static void tanhScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // relu

    /** {@code y = max(x, 0)}. x: n, not modified; y: n, written (may be x). */
    public static void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) reluSimd(n, x, xOff, y, yOff); else reluScalar(n, x, xOff, y, yOff);
    }

    /**
     * {@code y = max(x, 0)}: exact and bit-identical to the scalar twin. relu(−0) = +0, relu(NaN) = NaN
     * (the same NaN), relu(+∞) = +∞, relu(−∞) = +0, relu(negative subnormal) = +0.
     */
    public static void reluSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.blend(ZERO, v.compare(VectorOperators.LE, ZERO)).intoArray(y, yOff + i); // NaN ≤ 0 is false: NaN stays
        }
        reluScalar(n - i, x, xOff + i, y, yOff + i); // scalar tail
    }

    public static void reluScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f ? v : (Float.isNaN(v) ? v : 0f);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // softplus

    /** {@code y = softplus(x) = log(1 + e^x)}, computed as {@code max(x,0) + log1p(e^(−|x|))}. x: n, not modified; y: n, written (may be x). */
    public static void softplus(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) softplusSimd(n, x, xOff, y, yOff); else softplusScalar(n, x, xOff, y, yOff);
    }

    /**
     * {@code y = max(x, 0) + log1p(e^(−|x|))}, with {@code log1p(e)} for e ∈ [0, 1] reduced to
     * {@code log1p(f)} on −0.29 ≤ f ≤ 0.41 (plus ln 2 when e > √2 − 1) and a degree-11 polynomial
     * (Cephes {@code logf}).
     *
     * <p>Error: at most 2 ulps (1.87 measured over all floats) where the exact value is at least 2⁻¹²⁶
     * (relative, so also for the small results of very negative x). Smaller results (x < −87.34) are
     * flushed to +0 or rounded once into the subnormals, absolute error below 2⁻¹²⁶: softplus(x) = +0 for
     * x ≤ −87.68312. Special values: softplus(±0) = ln 2 (rounded to float), softplus(+∞) = +∞,
     * softplus(−∞) = +0, softplus(NaN) = NaN, softplus(subnormal) = ln 2; softplus(x) = x for
     * x ≥ 14.5561, as the correctly rounded value, so huge x (up to MAX_VALUE) stay exact.
     */
    public static void softplusSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            softplus(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        softplusScalar(n - i, x, xOff + i, y, yOff + i); // scalar tail
    }

    public static void softplusScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            y[yOff + i] = (float) (Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v))));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // silu

    /** {@code y = silu(x) = x·σ(x)}. x: n, not modified; y: n, written (may be x). */
    public static void silu(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) siluSimd(n, x, xOff, y, yOff); else siluScalar(n, x, xOff, y, yOff);
    }

    /**
     * {@code y = x·σ(x)}, computed as {@code x/(1 + e)} for x ≥ 0 and {@code x·e/(1 + e)} for x < 0
     * with {@code e = e^(−|x|)}, where {@code x·e} is scaled by 2ⁿ last so that it is rounded once even
     * when it is subnormal.
     *
     * <p>Error: at most 3.4 ulps over all floats (3.34 measured), including the subnormal results of
     * −108.66 < x < −87. Special values: silu(±0) = ±0, silu(+∞) = +∞, silu(−∞) = −0, silu(NaN) = NaN;
     * silu(x) = x for x ≥ 16.6355 (huge x stay exact); silu(x) = −0 for x ≤ −108.6603, as the
     * correctly rounded value.
     */
    public static void siluSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            silu(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        siluScalar(n - i, x, xOff + i, y, yOff + i); // scalar tail
    }

    /** As {@link #silu}, in double; silu(−∞) = −0 (the limit) rather than the NaN of −∞/∞. */
    public static void siluScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            double v = Math.max(x[xOff + i], -200.0); // silu(−200) already rounds to −0; keeps NaN
            y[yOff + i] = (float) (v / (1.0 + Math.exp(-v)));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // exp

    /** {@code y = e^x}. x: n, not modified; y: n, written (may be x). */
    public static void exp(int n, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) expSimd(n, x, xOff, y, yOff); else expScalar(n, x, xOff, y, yOff);
    }

    /**
     * {@code y = e^x} by range reduction (see the class comment).
     *
     * <p>Error: at most 1.1 ulps over all floats (1.06 measured), subnormal results included.
     * Special values: e^(±0) = 1 exactly, e^(+∞) = +∞, e^(−∞) = +0, e^NaN = NaN, e^(subnormal) = 1;
     * the result overflows to +∞ exactly where the correctly rounded one does (x ≥ 88.72284) and
     * underflows to +0 exactly where it does (x ≤ −103.972084); below −87.3365 the results are
     * subnormal, rounded once.
     */
    public static void expSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            exp(atMost(atLeast(v, EXP_LOV), EXP_HIV)).intoArray(y, yOff + i);
        }
        expScalar(n - i, x, xOff + i, y, yOff + i); // scalar tail
    }

    public static void expScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // derivatives

    /** {@code dx = dy ⊙ y ⊙ (1 − y)} where {@code y = σ(x)}. y, dy: n, not modified; dx: n, written (may be dy or y). */
    public static void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (Simd.ENABLED) sigmoidBackwardSimd(n, y, yOff, dy, dyOff, dx, dxOff);
        else sigmoidBackwardScalar(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    /** {@code dx = (dy·y)·(1 − y)}: the same float operations as the scalar twin, so bit-identical to it. */
    public static void sigmoidBackwardSimd(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector s = FloatVector.fromArray(S, y, yOff + i);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            g.mul(s).mul(ONE.sub(s)).intoArray(dx, dxOff + i);
        }
        sigmoidBackwardScalar(n - i, y, yOff + i, dy, dyOff + i, dx, dxOff + i); // scalar tail
    }

    public static void sigmoidBackwardScalar(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            float s = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * s * (1f - s);
        }
    }

    /** {@code dx = dy ⊙ (1 − y²)} where {@code y = tanh(x)}. y, dy: n, not modified; dx: n, written (may be dy or y). */
    public static void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (Simd.ENABLED) tanhBackwardSimd(n, y, yOff, dy, dyOff, dx, dxOff);
        else tanhBackwardScalar(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    /**
     * {@code dx = dy·fma(−y, y, 1)} (1 − y² rounded once, accurate as |y| → 1): the same float
     * operations as the scalar twin, so bit-identical to it.
     */
    public static void tanhBackwardSimd(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, y, yOff + i);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            g.mul(t.neg().fma(t, ONE)).intoArray(dx, dxOff + i);
        }
        tanhBackwardScalar(n - i, y, yOff + i, dy, dyOff + i, dx, dxOff + i); // scalar tail
    }

    public static void tanhBackwardScalar(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            float t = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * Math.fma(-t, t, 1f);
        }
    }

    /** {@code dx = dy ⊙ [y > 0]} where {@code y = relu(x)}. y, dy: n, not modified; dx: n, written (may be dy or y). */
    public static void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (Simd.ENABLED) reluBackwardSimd(n, y, yOff, dy, dyOff, dx, dxOff);
        else reluBackwardScalar(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    /** {@code dx = y > 0 ? dy : +0} (NaN y gives +0): exact and bit-identical to the scalar twin. */
    public static void reluBackwardSimd(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, y, yOff + i);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            ZERO.blend(g, ZERO.lt(t)).intoArray(dx, dxOff + i);
        }
        reluBackwardScalar(n - i, y, yOff + i, dy, dyOff + i, dx, dxOff + i); // scalar tail
    }

    public static void reluBackwardScalar(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    /** {@code dx = dy ⊙ σ(x)} (the derivative of softplus), from the input x. x, dy: n, not modified; dx: n, written (may be dy or x). */
    public static void softplusBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (Simd.ENABLED) softplusBackwardSimd(n, x, xOff, dy, dyOff, dx, dxOff);
        else softplusBackwardScalar(n, x, xOff, dy, dyOff, dx, dxOff);
    }

    /**
     * {@code dx = dy·σ(x)} with σ as in {@link #sigmoidSimd}.
     *
     * <p>Error: relative to the exact {@code dy·σ(x)}, at most 4·2⁻²⁴ (σ's relative error, 3·2⁻²⁴, plus
     * the product's rounding) where σ(x) ≥ 2⁻¹²⁶; where σ(x) is smaller (x < −87.34) it is flushed or
     * rounded once, so the absolute error is below {@code |dy|·2⁻¹²⁶}. Special values as σ: x = +∞
     * gives dy, x = −∞ gives ±0, x = ±0 gives dy/2, NaN in x or dy gives NaN.
     */
    public static void softplusBackwardSimd(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector s = sigmoid(FloatVector.fromArray(S, x, xOff + i));
            FloatVector.fromArray(S, dy, dyOff + i).mul(s).intoArray(dx, dxOff + i);
        }
        softplusBackwardScalar(n - i, x, xOff + i, dy, dyOff + i, dx, dxOff + i); // scalar tail
    }

    public static void softplusBackwardScalar(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = (float) (dy[dyOff + i] / (1.0 + Math.exp(-(double) x[xOff + i])));
        }
    }

    /** {@code dx = dy ⊙ σ(x)·(1 + x·(1 − σ(x)))} (the derivative of silu), from the input x. x, dy: n, not modified; dx: n, written (may be dy or x). */
    public static void siluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (Simd.ENABLED) siluBackwardSimd(n, x, xOff, dy, dyOff, dx, dxOff);
        else siluBackwardScalar(n, x, xOff, dy, dyOff, dx, dxOff);
    }

    /**
     * {@code dx = dy·σ·fma(x, 1 − σ, 1)} with σ and 1 − σ both taken from {@code e = e^(−|x|)} (no
     * cancellation in 1 − σ), x clamped to ±174 where the derivative has reached its limits.
     *
     * <p>Error: the derivative {@code g = σ + x·σ·(1 − σ)} has a zero near x ≈ −1.2785, where no
     * relative bound is possible; the bound is relative to the magnitude of its terms,
     * {@code T = σ + |x|·σ·(1 − σ)}: {@code |g̃ − g| ≤ 4.8·2⁻²⁴·T} over all floats (4.76 measured, with
     * dy = 1), so {@code |dx − dy·g| ≤ 5.8·2⁻²⁴·|dy|·T} with the product's rounding. Where σ(x) is below
     * 2⁻¹²⁶ (x < −87.34) it is flushed, adding at most {@code |dy|·(1 + |x|)·2⁻¹²⁶}. Special values:
     * x = +∞ gives dy (g = 1), x = −∞ gives ±0 (g = −0), x = ±0 gives dy/2, NaN in x or dy gives NaN.
     */
    public static void siluBackwardSimd(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = atMost(atLeast(FloatVector.fromArray(S, x, xOff + i), SILU_LOV), SILU_HIV);
            FloatVector e = expFlush(minusAbs(v));           // e^(−|x|) ∈ [0, 1]
            FloatVector r = ONE.div(e.add(ONE));             // 1/(1 + e)
            FloatVector er = e.mul(r);                       // e/(1 + e)
            VectorMask<Float> neg = v.lt(ZERO);
            FloatVector sig = r.blend(er, neg);              // σ(x)
            FloatVector sigc = er.blend(r, neg);             // 1 − σ(x)
            FloatVector g = v.fma(sigc, ONE).mul(sig);       // σ·(1 + x·(1 − σ))
            FloatVector.fromArray(S, dy, dyOff + i).mul(g).intoArray(dx, dxOff + i);
        }
        siluBackwardScalar(n - i, x, xOff + i, dy, dyOff + i, dx, dxOff + i); // scalar tail
    }

    /** As {@link #siluBackward}, in double, with x clamped to ±200 so that ±∞ give the limits (0 and 1) rather than NaN. */
    public static void siluBackwardScalar(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            double v = Math.max(-200.0, Math.min(200.0, x[xOff + i])); // keeps NaN
            double s = 1.0 / (1.0 + Math.exp(-v));
            dx[dxOff + i] = (float) (dy[dyOff + i] * s * (1.0 + v * (1.0 - s)));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // log-softmax

    /**
     * Row-wise {@code y = x − max(x) − log Σ e^(x − max(x))}, stable for any finite input: the sum never
     * overflows. X: rows×cols, row stride ldx, not modified; Y: rows×cols, row stride ldy, written (may
     * be X, with the same offset and stride). A row holding +∞ or NaN, or only −∞, becomes NaN; a −∞
     * among finite values gives −∞; y rounds to −∞ where the log-probability itself is below
     * −MAX_VALUE (−MAX_VALUE next to +MAX_VALUE). When |max(x)| is huge, {@code lse} absorbs
     * {@code log Σ}, as float arithmetic must.
     */
    public static void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        if (Simd.ENABLED) logSoftmaxSimd(rows, cols, x, xOff, ldx, y, yOff, ldy);
        else logSoftmaxScalar(rows, cols, x, xOff, ldx, y, yOff, ldy);
    }

    /**
     * As {@link #logSoftmax}: the row maximum m by {@link VectorMath#maxSimd}, {@code s = Σ e^(x − m)}
     * with the SIMD exponential (terms below e^−87 are taken as e^−87: they cannot change s ≥ 1) summed
     * in float lanes, {@code lse = m + log s} in double, rounded to float, then {@code y = x − lse}.
     * Agrees with the scalar twin (and with the exact value) within
     * {@code ulp(lse) + ulp(y) + (cols/LANES + 4)·2⁻²³}: the sum is accumulated in float, in a different
     * order, with a 1.1-ulp exponential. Special values as the scalar twin.
     */
    public static void logSoftmaxSimd(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int row = 0; row < rows; row++) {
            int xi = xOff + row * ldx, yi = yOff + row * ldy;
            float m = VectorMath.maxSimd(cols, x, xi);
            FloatVector mv = FloatVector.broadcast(S, m);
            FloatVector acc = FloatVector.zero(S);
            int bound = S.loopBound(cols), j = 0;
            for (; j < bound; j += L) {
                // e^(x − m), x − m ≤ 0 (or NaN); terms below e^−87 cannot change s ≥ 1
                acc = acc.add(expNormal(atLeast(FloatVector.fromArray(S, x, xi + j).sub(mv), EXP1_LOV)));
            }
            double s = Simd.sum(acc);
            for (; j < cols; j++) { // scalar tail
                s += Math.exp(x[xi + j] - m);
            }
            float lse = (float) (m + Math.log(s));
            FloatVector lv = FloatVector.broadcast(S, lse);
            for (j = 0; j < bound; j += L) {
                FloatVector.fromArray(S, x, xi + j).sub(lv).intoArray(y, yi + j);
            }
            for (; j < cols; j++) { // scalar tail
                y[yi + j] = x[xi + j] - lse;
            }
        }
    }

    public static void logSoftmaxScalar(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
            int xi = xOff + r * ldx, yi = yOff + r * ldy;
            float m = VectorMath.maxScalar(cols, x, xi);
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[xi + j] - m);
            }
            float lse = (float) (m + Math.log(s));
            for (int j = 0; j < cols; j++) {
                y[yi + j] = x[xi + j] - lse;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // one vector (each helper is a handful of lanewise operations on vector constants: C2 must inline
    // the whole loop body, and every Vector API call counts against its inlining budget)

    /** σ(v): {@code num/(1 + e)}, e = e^(−|v|), num = 1 for v ≥ 0 and e for v < 0. */
    private static FloatVector sigmoid(FloatVector v) {
        FloatVector e = expFlush(atLeast(minusAbs(v), EXP_LOV));
        FloatVector num = ONE.blend(e, v.lt(ZERO));
        return num.div(e.add(ONE));
    }

    /**
     * tanh(v) = sign(v)·(−m)/(2 + m) with m = expm1(−2|v|) ∈ (−1, 0]: no cancellation anywhere (m is
     * computed as 2ⁿ·(e^r − 1) + (2ⁿ − 1) with e^r − 1 = r + r²·q(r) in one fma), and no overflow.
     */
    private static FloatVector tanh(FloatVector v) {
        FloatVector a = atLeast(v.abs().mul(MINUS_TWO), EXP1_LOV);          // −2|v| ≥ −87: tanh is 1 long before
        FloatVector z = a.fma(LOG2E, ROUNDV);                               // ROUND + n
        FloatVector s = z.reinterpretAsInts().sub(EXP_BIAS1).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector n = z.sub(ROUNDV);
        FloatVector r = n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, a));
        FloatVector q = r.fma(E6, E5).fma(r, E4).fma(r, E3).fma(r, E2);
        FloatVector m = s.fma(r.mul(r).fma(q, r), s.sub(ONE));              // expm1(a) = 2ⁿ·(r + r²·q) + 2ⁿ − 1
        FloatVector t = m.div(MINUS_TWO.sub(m)).abs();                      // −m/(2 + m) ≥ 0 (+0, not −0, at v = ±0)
        IntVector sign = v.reinterpretAsInts().and(SIGN_BIT);
        return t.reinterpretAsInts().or(sign).reinterpretAsFloats();         // copysign(t, v)
    }

    /** softplus(v) = max(v, 0) + log1p(e^(−|v|)). */
    private static FloatVector softplus(FloatVector v) {
        FloatVector e = expFlush(atLeast(minusAbs(v), EXP_LOV));           // e ∈ [0, 1]
        // log1p(e) = k·ln2 + log1p(f): f = e (k = 0) or f = (e − 1)/2 (k = 1, since 1 + e = 2·(1 + f))
        VectorMask<Float> up = e.compare(VectorOperators.GT, SQRT2_M1V);
        FloatVector f = e.blend(e.sub(ONE).mul(HALF), up);
        FloatVector k = ZERO.blend(ONE, up);
        FloatVector f2 = f.mul(f);
        FloatVector r = f.fma(LR0, LR1).fma(f, LR2).fma(f, LR3).fma(f, LR4)
                .fma(f, LR5).fma(f, LR6).fma(f, LR7).fma(f, LR8);
        FloatVector t = k.fma(LN2_LOV, r.mul(f).mul(f2));                    // f³·R(f) + k·ln2_lo
        FloatVector log1p = k.fma(LN2_HIV, f.add(f2.fma(MINUS_HALF, t)));
        return v.blend(ZERO, v.lt(ZERO)).add(log1p);
    }

    /** silu(v) = v/(1 + e) for v ≥ 0, v·e/(1 + e) for v < 0, e = e^(−|v|); v·e is scaled by 2ⁿ last. */
    private static FloatVector silu(FloatVector v) {
        FloatVector w = atLeast(v, SILU_LOV);                               // silu(−174) rounds to −0; −∞ → −174
        FloatVector a = atLeast(minusAbs(w), EXP_LOV);                      // −|v|, clamped for v > 174
        FloatVector z = a.fma(LOG2E, ROUNDV);                               // ROUND + n
        IntVector b = z.reinterpretAsInts().sub(EXP_BIAS);                  // n + 254
        IntVector h = b.lanewise(VectorOperators.LSHR, 1);                  // ⌊n/2⌋ + 127
        FloatVector s1 = h.lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = b.sub(h).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector p = expReduced(a, z);
        FloatVector e = p.mul(s1).mul(s2);
        FloatVector num = w.blend(w.mul(p).mul(s1).mul(s2), w.lt(ZERO));
        return num.div(e.add(ONE));
    }

    /** e^a for a in [EXP_LO, EXP_HI] or NaN (the caller clamps). */
    private static FloatVector exp(FloatVector a) {
        FloatVector z = a.fma(LOG2E, ROUNDV);                               // ROUND + n, n = round(a·log₂e)
        IntVector b = z.reinterpretAsInts().sub(EXP_BIAS);                  // n + 254 ∈ [3, 383]
        IntVector h = b.lanewise(VectorOperators.LSHR, 1);                  // ⌊n/2⌋ + 127
        FloatVector s1 = h.lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();           // 2^⌊n/2⌋
        FloatVector s2 = b.sub(h).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();   // 2^(n−⌊n/2⌋)
        return expReduced(a, z).mul(s1).mul(s2);
    }

    /**
     * e^a for a in [−87, EXP_HI] or NaN (the caller clamps; e^−87 is normal): one 2ⁿ factor, four
     * operations fewer than {@link #exp}, for callers where a subnormal e^a would not change the result.
     */
    private static FloatVector expNormal(FloatVector a) {
        FloatVector z = a.fma(LOG2E, ROUNDV);                               // ROUND + n
        FloatVector s = z.reinterpretAsInts().sub(EXP_BIAS1).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return expReduced(a, z).mul(s);
    }

    /**
     * e^a for a in [EXP_LO, EXP_HI] or NaN, with results below 2⁻¹²⁶·0.7 flushed to +0 (n < −126 gives
     * the factor 2ⁿ = +0; n = −126 still rounds into the subnormals once). Three operations fewer than
     * {@link #exp}.
     */
    private static FloatVector expFlush(FloatVector a) {
        FloatVector z = a.fma(LOG2E, ROUNDV);                               // ROUND + n
        IntVector b = z.reinterpretAsInts().sub(EXP_BIAS1).max(INT_ZERO);   // n + 127, or 0 for n < −127
        FloatVector s = b.lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return expReduced(a, z).mul(s);
    }

    /** e^r with r = a − n·ln 2, n read from z = ROUND + n. */
    private static FloatVector expReduced(FloatVector a, FloatVector z) {
        FloatVector n = z.sub(ROUNDV);
        FloatVector r = n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, a));
        FloatVector p = r.fma(E6, E5).fma(r, E4).fma(r, E3).fma(r, E2).fma(r, ONE);
        return p.fma(r, ONE);                                               // Horner, degree 6
    }

    /** −|v| (sets the sign bit; NaN stays NaN). */
    private static FloatVector minusAbs(FloatVector v) {
        return v.reinterpretAsInts().or(SIGN_BIT).reinterpretAsFloats();
    }

    /** max(v, lo), keeping NaN. */
    private static FloatVector atLeast(FloatVector v, FloatVector lo) {
        return v.blend(lo, v.lt(lo));
    }

    /** min(v, hi), keeping NaN. */
    private static FloatVector atMost(FloatVector v, FloatVector hi) {
        return v.blend(hi, hi.lt(v));
    }

    private static FloatVector c(float v) {
        return FloatVector.broadcast(S, v);
    }
}
