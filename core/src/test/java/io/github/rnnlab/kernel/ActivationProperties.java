package io.github.rnnlab.kernel;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SIMD activations against their scalar twins and against the exact values, for random shapes
 * (0, 1, odd, around multiples of {@link Simd#LANES}), offsets, in-place use and inputs drawn from the
 * whole float range (raw bit patterns), the interesting range [−20, 20], and special values.
 */
class ActivationProperties {
    static final int L = Simd.LANES;
    static final int GUARD = VectorMathProperties.GUARD;

    /** How inputs are drawn. */
    enum Inputs { RAW_BITS, UNIFORM_20, GAUSSIAN, SPECIALS }

    static final float[] SPECIALS = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-30f, -1e-30f,
            Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, -1e30f, 88.72f, 88.73f, -87.3f, -87.7f, -103.9f, -104f,
            -174f, 174f, 17.33f, -17.33f, 9.01f, -9.01f, 1f, -1f, -1.2785f, 0.625f, 0.3466f, 3e-8f};

    static float[] inputs(Inputs kind, Random rnd, int length) {
        float[] a = new float[length];
        float scale = (float) Math.pow(10, rnd.nextInt(5) - 2);
        for (int i = 0; i < length; i++) {
            a[i] = switch (kind) {
                case RAW_BITS -> Float.intBitsToFloat(rnd.nextInt());
                case UNIFORM_20 -> rnd.nextFloat() * 40f - 20f;
                case GAUSSIAN -> (float) rnd.nextGaussian() * scale;
                case SPECIALS -> rnd.nextBoolean() ? SPECIALS[rnd.nextInt(SPECIALS.length)]
                        : Float.intBitsToFloat(rnd.nextInt());
            };
        }
        return a;
    }

    @Property(tries = 2000)
    void simdActivationIsWithinItsBoundAndAgreesWithTheScalarTwin(@ForAll Activation f,
                                                                   @ForAll("sizes") int n,
                                                                   @ForAll @IntRange(max = 7) int xOff,
                                                                   @ForAll @IntRange(max = 7) int yOff,
                                                                   @ForAll boolean inPlace,
                                                                   @ForAll Inputs kind, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] x = inputs(kind, rnd, xOff + n + GUARD);
        float[] y = inPlace ? x.clone() : inputs(Inputs.GAUSSIAN, rnd, yOff + n + GUARD);
        int outOff = inPlace ? xOff : yOff;
        float[] ySimd = y.clone(), yScalar = y.clone();
        if (inPlace) {
            f.simd.apply(n, ySimd, xOff, ySimd, xOff);
            f.scalar.apply(n, yScalar, xOff, yScalar, xOff);
        } else {
            f.simd.apply(n, x, xOff, ySimd, yOff);
            f.scalar.apply(n, x, xOff, yScalar, yOff);
        }
        for (int i = 0; i < ySimd.length; i++) {
            if (i < outOff || i >= outOff + n) {
                assertEquals(Float.floatToRawIntBits(y[i]), Float.floatToRawIntBits(ySimd[i]), "written outside the output at " + i);
            }
        }
        int vectorEnd = n - n % L; // elements from here on ran in the scalar tail
        for (int i = 0; i < n; i++) {
            float xi = x[xOff + i], s = ySimd[outOff + i], t = yScalar[outOff + i];
            assertTrue(f.errorRatio(xi, s) <= 1, f.describe(xi, s));
            // the twin is correctly rounded up to 0.5 ulp: the twins differ by at most the bound + 0.5 ulp
            double e = f.exact.applyAsDouble(xi);
            boolean flushZone = f.flushesSubnormals && Math.abs(e) < FloatError.MIN_NORMAL;
            if (!flushZone) {
                assertTrue(FloatError.ulps(s, t) <= f.maxUlps + 0.5, () -> f + " twins differ at " + xi + ": " + s + " vs " + t);
            }
            if (i >= vectorEnd) {
                assertEquals(Float.floatToIntBits(t), Float.floatToIntBits(s), "the tail runs the scalar twin, at " + i);
            }
        }
    }

    @net.jqwik.api.Provide
    static net.jqwik.api.Arbitrary<Integer> sizes() {
        return VectorMathProperties.sizes();
    }

    @Property(tries = 300)
    void reluIsBitIdenticalToItsScalarTwin(@ForAll("sizes") int n, @ForAll @IntRange(max = 7) int off,
                                           @ForAll Inputs kind, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] x = inputs(kind, rnd, off + n + GUARD);
        float[] a = new float[x.length], b = new float[x.length];
        Activations.reluSimd(n, x, off, a, off);
        Activations.reluScalar(n, x, off, b, off);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(b[i]), Float.floatToRawIntBits(a[i]), "relu at " + i + " of x=" + x[i]);
        }
    }

    // ---- derivatives ----

    /** A derivative kernel {@code (n, in, inOff, dy, dyOff, dx, dxOff)}. */
    interface Backward {
        void apply(int n, float[] in, int inOff, float[] dy, int dyOff, float[] dx, int dxOff);
    }

    enum ExactBackward {
        SIGMOID(Activations::sigmoidBackwardSimd, Activations::sigmoidBackwardScalar),
        TANH(Activations::tanhBackwardSimd, Activations::tanhBackwardScalar),
        RELU(Activations::reluBackwardSimd, Activations::reluBackwardScalar);

        final Backward simd;
        final Backward scalar;

        ExactBackward(Backward simd, Backward scalar) {
            this.simd = simd;
            this.scalar = scalar;
        }
    }

    /** Where dx lives: its own array, over dy, or over the activation values. */
    enum Aliasing { SEPARATE, DX_IS_DY, DX_IS_INPUT }

    @Property(tries = 500)
    void sigmoidTanhAndReluDerivativesAreBitIdenticalToTheirScalarTwins(@ForAll ExactBackward f,
                                                                         @ForAll("sizes") int n,
                                                                         @ForAll @IntRange(max = 7) int yOff,
                                                                         @ForAll @IntRange(max = 7) int dyOff,
                                                                         @ForAll @IntRange(max = 7) int dxOff,
                                                                         @ForAll Aliasing aliasing,
                                                                         @ForAll boolean specials, @ForAll long seed) {
        Random rnd = new Random(seed);
        // activation values y (in (0,1) for σ, (−1,1) for tanh, ≥ 0 for relu, or anything with specials)
        float[] y = inputs(specials ? Inputs.SPECIALS : Inputs.UNIFORM_20, rnd, yOff + n + GUARD);
        if (!specials) {
            for (int i = 0; i < y.length; i++) {
                y[i] = f == ExactBackward.RELU ? Math.max(y[i], 0f) : (float) (f == ExactBackward.SIGMOID
                        ? DoubleKernels.sigmoid(y[i]) : Math.tanh(y[i]));
            }
        }
        float[] dy = inputs(Inputs.GAUSSIAN, rnd, dyOff + n + GUARD), dx = inputs(Inputs.GAUSSIAN, rnd, dxOff + n + GUARD);
        float[][] a = runBackward(f.simd, n, y, yOff, dy, dyOff, dx, dxOff, aliasing);
        float[][] b = runBackward(f.scalar, n, y, yOff, dy, dyOff, dx, dxOff, aliasing);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(b[k], a[k], f + " array " + k + ", " + aliasing);
        }
        if (n > 0 && aliasing == Aliasing.SEPARATE && !specials) { // the formula, on the last element
            float t = y[yOff + n - 1], g = dy[dyOff + n - 1];
            float expected = switch (f) {
                case SIGMOID -> g * t * (1f - t);
                case TANH -> g * Math.fma(-t, t, 1f);
                case RELU -> t > 0f ? g : 0f;
            };
            assertEquals(expected, a[2][dxOff + n - 1]);
        }
    }

    private static float[][] runBackward(Backward f, int n, float[] in0, int inOff, float[] dy0, int dyOff,
                                         float[] dx0, int dxOff, Aliasing aliasing) {
        float[] in = in0.clone(), dy = dy0.clone(), dx = dx0.clone();
        switch (aliasing) {
            case SEPARATE -> f.apply(n, in, inOff, dy, dyOff, dx, dxOff);
            case DX_IS_DY -> f.apply(n, in, inOff, dy, dyOff, dy, dyOff);
            case DX_IS_INPUT -> f.apply(n, in, inOff, dy, dyOff, in, inOff);
        }
        return new float[][] {in, dy, dx};
    }

    /**
     * softplus′·dy and silu′·dy from x: within their documented bounds of the exact value, for any dy,
     * in place or not, and bit-identical to the scalar twin in the tail.
     */
    @Property(tries = 1000)
    void softplusAndSiluDerivativesAreWithinTheirBounds(@ForAll boolean silu, @ForAll("sizes") int n,
                                                        @ForAll @IntRange(max = 7) int xOff,
                                                        @ForAll @IntRange(max = 7) int dyOff,
                                                        @ForAll boolean inPlace, @ForAll Inputs kind,
                                                        @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] x = inputs(kind, rnd, xOff + n + GUARD);
        float[] dy = inputs(Inputs.GAUSSIAN, rnd, dyOff + n + GUARD);
        if (kind == Inputs.SPECIALS) {
            dy[dyOff + rnd.nextInt(n + 1)] = Float.NaN;
        }
        Backward simd = silu ? Activations::siluBackwardSimd : Activations::softplusBackwardSimd;
        Backward scalar = silu ? Activations::siluBackwardScalar : Activations::softplusBackwardScalar;
        float[] dxSimd = inPlace ? dy.clone() : new float[dyOff + n + GUARD], dxScalar = dxSimd.clone();
        simd.apply(n, x, xOff, inPlace ? dxSimd : dy, dyOff, dxSimd, dyOff);
        scalar.apply(n, x, xOff, inPlace ? dxScalar : dy, dyOff, dxScalar, dyOff);
        int vectorEnd = n - n % L;
        for (int i = 0; i < n; i++) {
            float xi = x[xOff + i], g = dy[dyOff + i], d = dxSimd[dyOff + i];
            String at = (silu ? "siluBackward" : "softplusBackward") + "(x=" + xi + ", dy=" + g + ") = " + d;
            if (Float.isNaN(xi) || Float.isNaN(g)) {
                assertTrue(Float.isNaN(d), at);
                continue;
            }
            double exact, allowed;
            if (silu) {
                exact = g * FloatError.siluDerivative(xi);
                // 4.8·2⁻²⁴ for the derivative, 2⁻²⁴ more for rounding the product with dy
                allowed = (ActivationAccuracyTest.SILU_DERIVATIVE_TERMS_BOUND + 1) * FloatError.U * Math.abs(g)
                        * FloatError.siluDerivativeTerms(xi)
                        + (FloatError.sigmoid(xi) < FloatError.MIN_NORMAL ? Math.abs(g) * (1 + Math.abs(xi)) * FloatError.MIN_NORMAL : 0)
                        + Float.MIN_VALUE / 2.0;
            } else {
                exact = g * FloatError.sigmoid(xi);
                allowed = SOFTPLUS_BACKWARD_RELATIVE * FloatError.U * Math.abs(exact)
                        + (FloatError.sigmoid(xi) < FloatError.MIN_NORMAL ? Math.abs(g) * FloatError.MIN_NORMAL : 0)
                        + Float.MIN_VALUE / 2.0;
            }
            if (Float.isInfinite((float) exact) || Float.isInfinite(d)) {
                continue; // |dy| near MAX_VALUE: overflow at the boundary is not part of the bound
            }
            double err = Math.abs(d - exact);
            assertTrue(err <= allowed, () -> at + ", exact " + exact + ", error " + err + " > " + allowed);
            if (i >= vectorEnd) {
                assertEquals(Float.floatToIntBits(dxScalar[dyOff + i]), Float.floatToIntBits(d), "tail at " + i);
            }
        }
    }

    /** softplusBackward's documented relative bound, in units of 2⁻²⁴ (σ's relative error, 3, plus the product). */
    static final double SOFTPLUS_BACKWARD_RELATIVE = ActivationAccuracyTest.SIGMOID_RELATIVE_BOUND + 1;

    // ---- log-softmax ----

    @Property(tries = 500)
    void logSoftmaxAgreesWithItsTwinAndSumsToOne(@ForAll @IntRange(max = 6) int rows, @ForAll("sizes") int cols,
                                                 @ForAll @IntRange(max = 5) int padX, @ForAll @IntRange(max = 5) int padY,
                                                 @ForAll @IntRange(max = 7) int xOff, @ForAll @IntRange(max = 7) int yOff,
                                                 @ForAll boolean inPlace, @ForAll @IntRange(min = 0, max = 3) int scaleExp,
                                                 @ForAll long seed) {
        Random rnd = new Random(seed);
        int ldx = cols + padX, ldy = inPlace ? ldx : cols + padY, outOff = inPlace ? xOff : yOff;
        double scale = Math.pow(10, scaleExp - 1); // 0.1 … 100
        float[] x = new float[xOff + rows * ldx + GUARD];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * scale);
        }
        float[] y = inPlace ? x.clone() : new float[outOff + rows * ldy + GUARD];
        float[] a = y.clone(), b = y.clone();
        if (inPlace) {
            Activations.logSoftmaxSimd(rows, cols, a, xOff, ldx, a, xOff, ldx);
            Activations.logSoftmaxScalar(rows, cols, b, xOff, ldx, b, xOff, ldx);
        } else {
            Activations.logSoftmaxSimd(rows, cols, x, xOff, ldx, a, yOff, ldy);
            Activations.logSoftmaxScalar(rows, cols, x, xOff, ldx, b, yOff, ldy);
        }
        for (int i = 0; i < a.length; i++) { // nothing written outside the rows' first cols
            int rel = i - outOff;
            boolean inside = rel >= 0 && rel < rows * ldy && rel % ldy < cols;
            if (!inside) {
                assertEquals(y[i], a[i], "written outside Y at " + i);
            }
        }
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[xOff + r * ldx + j]);
            }
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[xOff + r * ldx + j] - m);
            }
            double lse = m + Math.log(s);
            double sumProb = 0, maxUlpY = 0;
            for (int j = 0; j < cols; j++) {
                float ya = a[outOff + r * ldy + j], yb = b[outOff + r * ldy + j];
                maxUlpY = Math.max(maxUlpY, Math.max(Math.ulp(ya), Math.ulp(yb)));
                sumProb += Math.exp(ya);
            }
            // documented: ulp(lse) + ulp(y) + (cols/LANES + 4)·2⁻²³
            double tol = Math.ulp((float) Math.abs(lse)) + maxUlpY + (cols / (double) L + 4) * 0x1p-23;
            for (int j = 0; j < cols; j++) {
                float ya = a[outOff + r * ldy + j], yb = b[outOff + r * ldy + j];
                int jj = j;
                assertTrue(Math.abs(ya - yb) <= tol, () -> "row " + jj + ": simd " + ya + " vs scalar " + yb + ", tol " + tol);
                double yExact = x[xOff + r * ldx + j] - lse;
                assertTrue(Math.abs(ya - yExact) <= tol, () -> "simd " + ya + " vs exact " + yExact + ", tol " + tol);
            }
            if (cols > 0) {
                double p = sumProb;
                assertEquals(1.0, p, tol, () -> "Σ exp(y) of row " + p);
            }
        }
    }

    /**
     * Huge inputs (1e30, −1e30, ±3.4e38 mixtures) never overflow in the sum: e^(x − max) ≤ 1. In float,
     * {@code lse = fl(max + log s)} absorbs {@code log s} when |max| is huge, so y = x − fl(lse) exactly;
     * that is finite except where the log-probability itself is below −MAX_VALUE (−MAX next to +MAX),
     * which rounds to −∞.
     */
    @Example
    void logSoftmaxIsStableForHugeInputs() {
        int cols = 2 * L + 5;
        Random rnd = new Random(3);
        float[][] rows = new float[4][cols];
        for (int j = 0; j < cols; j++) {
            rows[0][j] = rnd.nextBoolean() ? -1e30f : (float) rnd.nextGaussian() * 1e20f;
        }
        rows[0][L + 2] = 1e30f;                    // one dominant element, in a vector
        rows[0][2 * L + 3] = -Float.MAX_VALUE;     // in the tail
        Arrays.fill(rows[1], 3e38f);               // equal huge values
        Arrays.fill(rows[2], -3e38f);
        for (int j = 0; j < cols; j++) {
            rows[3][j] = j % 2 == 0 ? Float.MAX_VALUE : -Float.MAX_VALUE;
        }
        for (int row = 0; row < rows.length; row++) {
            float[] x = rows[row];
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (float v : x) {
                m = Math.max(m, v);
            }
            for (float v : x) {
                s += Math.exp(v - m);
            }
            float lse = (float) (m + Math.log(s));
            for (boolean simd : new boolean[] {true, false}) {
                float[] y = new float[cols];
                if (simd) {
                    Activations.logSoftmaxSimd(1, cols, x, 0, cols, y, 0, cols);
                } else {
                    Activations.logSoftmaxScalar(1, cols, x, 0, cols, y, 0, cols);
                }
                for (int j = 0; j < cols; j++) {
                    String at = (simd ? "simd" : "scalar") + " y[" + j + "] of x = " + x[j];
                    assertEquals(x[j] - lse, y[j], at);
                    if (row < 3 || x[j] > 0) {
                        assertTrue(Float.isFinite(y[j]), at + " is " + y[j]);
                    }
                }
            }
        }
        // the dominant element has probability 1, the rest 0
        float[] y = new float[cols];
        Activations.logSoftmaxSimd(1, cols, rows[0], 0, cols, y, 0, cols);
        assertEquals(0f, y[L + 2]);
        double p = 0;
        for (float v : y) {
            p += Math.exp(v);
        }
        assertEquals(1.0, p, 0.0);
    }

    @Example
    void logSoftmaxSpecialRows() {
        int cols = L + 3;
        for (boolean simd : new boolean[] {true, false}) {
            String which = simd ? "simd" : "scalar";
            float[][] rows = new float[4][cols];
            rows[0][L - 1] = Float.POSITIVE_INFINITY;    // +∞: NaN row
            rows[1][L + 1] = Float.NaN;                  // NaN: NaN row
            Arrays.fill(rows[2], Float.NEGATIVE_INFINITY); // only −∞: NaN row
            rows[3][2] = Float.NEGATIVE_INFINITY;        // −∞ among finite: −∞ there
            rows[3][L + 2] = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < 4; r++) {
                float[] y = new float[cols];
                if (simd) {
                    Activations.logSoftmaxSimd(1, cols, rows[r], 0, cols, y, 0, cols);
                } else {
                    Activations.logSoftmaxScalar(1, cols, rows[r], 0, cols, y, 0, cols);
                }
                for (int j = 0; j < cols; j++) {
                    if (r < 3) {
                        assertTrue(Float.isNaN(y[j]), which + " row " + r + " element " + j + " = " + y[j]);
                    } else if (j == 2 || j == L + 2) {
                        assertEquals(Float.NEGATIVE_INFINITY, y[j], which);
                    } else {
                        assertEquals(-Math.log(cols - 2), y[j], 1e-6, which + " element " + j);
                    }
                }
            }
            // cols = 0 writes nothing
            float[] y = {7f, 7f};
            if (simd) {
                Activations.logSoftmaxSimd(2, 0, new float[0], 0, 0, y, 0, 1);
            } else {
                Activations.logSoftmaxScalar(2, 0, new float[0], 0, 0, y, 0, 1);
            }
            assertArrayEquals(new float[] {7f, 7f}, y, which);
        }
    }
}
