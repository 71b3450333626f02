package io.github.rnnlab.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures the documented error bounds of the SIMD activations deterministically: every 64th float bit
 * pattern (with a varying offset inside each block of 64, so that all signs, exponents and low mantissa
 * bits occur), and a dense uniform grid over [−20, 20]. Also checks the documented special values
 * bit for bit. (The bounds themselves were taken from a run over all 2³² floats; this test keeps them
 * honest at 1/64 of the cost, about 67 million points per function.)
 */
class ActivationAccuracyTest {
    private static final System.Logger LOG = System.getLogger(ActivationAccuracyTest.class.getName());
    private static final int STRIDE = 64;
    private static final int BLOCK = 1 << 16;

    /** The worst error ratio seen, and where. */
    private static final class Worst {
        double ratio = -1;
        float x;
        float y;

        void record(double r, float xi, float yi) {
            if (!(r <= ratio)) { // also catches NaN ratios
                ratio = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
                x = xi;
                y = yi;
            }
        }
    }

    /** The bit patterns i·64 + jitter(i) for i in [start/64, start/64 + BLOCK). */
    private static void fillSweep(long start, float[] x) {
        for (int i = 0; i < x.length; i++) {
            long idx = start + (long) i * STRIDE;
            int jitter = (int) ((idx * 0x9E3779B97F4A7C15L) >>> 58); // 0…63
            x[i] = Float.intBitsToFloat((int) (idx + jitter));
        }
    }

    private static void fillGrid(int block, float[] x, int points) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (-20.0 + 40.0 * (block * (long) x.length + i) / (points - 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void withinDocumentedBoundOnEvery64thFloat(Activation f) {
        float[] x = new float[BLOCK], y = new float[BLOCK];
        Worst w = new Worst();
        for (long start = 0; start < (1L << 32); start += (long) BLOCK * STRIDE) {
            fillSweep(start, x);
            f.simd.apply(BLOCK, x, 0, y, 0);
            for (int i = 0; i < BLOCK; i++) {
                w.record(f.errorRatio(x[i], y[i]), x[i], y[i]);
            }
        }
        LOG.log(System.Logger.Level.INFO, "sweep worst: " + f.describe(w.x, w.y));
        assertTrue(w.ratio <= 1, () -> "outside the bound: " + f.describe(w.x, w.y));
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void withinDocumentedBoundOnDenseGridOverMinus20To20(Activation f) {
        int points = 1 << 22;
        float[] x = new float[BLOCK], y = new float[BLOCK];
        Worst w = new Worst();
        for (int b = 0; b < points / BLOCK; b++) {
            fillGrid(b, x, points);
            f.simd.apply(BLOCK, x, 0, y, 0);
            for (int i = 0; i < BLOCK; i++) {
                w.record(f.errorRatio(x[i], y[i]), x[i], y[i]);
            }
        }
        LOG.log(System.Logger.Level.INFO, "grid worst: " + f.describe(w.x, w.y));
        assertTrue(w.ratio <= 1, () -> "outside the bound: " + f.describe(w.x, w.y));
    }

    /** σ's documented relative bound, in units of 2⁻²⁴, where σ(x) ≥ 2⁻¹²⁶. */
    static final double SIGMOID_RELATIVE_BOUND = 3;

    /**
     * softplus′ = σ: with dy = 1 (an exact product) the bound is σ's, 2.5 ulps and 3·2⁻²⁴ relative, or
     * 2⁻¹²⁶ absolute where flushed.
     */
    @Test
    void softplusBackwardWithinBoundOnEvery64thFloat() {
        float[] x = new float[BLOCK], dx = new float[BLOCK], ones = new float[BLOCK];
        Arrays.fill(ones, 1f);
        Worst w = new Worst();
        for (long start = 0; start < (1L << 32); start += (long) BLOCK * STRIDE) {
            fillSweep(start, x);
            Activations.softplusBackwardSimd(BLOCK, x, 0, ones, 0, dx, 0);
            for (int i = 0; i < BLOCK; i++) {
                double e = FloatError.sigmoid(x[i]);
                double r;
                if (Double.isNaN(e) || Float.isNaN(dx[i])) {
                    r = Double.isNaN(e) == Float.isNaN(dx[i]) ? 0 : Double.POSITIVE_INFINITY;
                } else if (e < FloatError.MIN_NORMAL) {
                    r = dx[i] >= 0 ? Math.abs(dx[i] - e) / FloatError.MIN_NORMAL : Double.POSITIVE_INFINITY;
                } else {
                    r = Math.max(FloatError.ulps(dx[i], e) / Activation.SIGMOID.maxUlps,
                            Math.abs(dx[i] - e) / (SIGMOID_RELATIVE_BOUND * FloatError.U * e));
                }
                w.record(r, x[i], dx[i]);
            }
        }
        LOG.log(System.Logger.Level.INFO, "softplusBackward worst ratio " + w.ratio + " at " + w.x);
        assertTrue(w.ratio <= 1, () -> "softplusBackward(" + w.x + ") = " + w.y + ", exact " + FloatError.sigmoid(w.x));
    }

    /**
     * silu′ has a zero (x ≈ −1.2785), so its bound is relative to the size of its terms:
     * {@code |g − g_exact| ≤ 4.8·2⁻²⁴·(σ + |x|σ(1 − σ))}, plus {@code (1 + |x|)·2⁻¹²⁶} where σ(x) is below
     * 2⁻¹²⁶ and flushed. Swept over every 64th float and a grid over [−20, 20].
     */
    @Test
    void siluBackwardWithinBoundOnEvery64thFloat() {
        float[] x = new float[BLOCK], dx = new float[BLOCK], ones = new float[BLOCK];
        Arrays.fill(ones, 1f);
        Worst w = new Worst();
        for (long start = 0; start < (1L << 32); start += (long) BLOCK * STRIDE) {
            fillSweep(start, x);
            Activations.siluBackwardSimd(BLOCK, x, 0, ones, 0, dx, 0);
            for (int i = 0; i < BLOCK; i++) {
                w.record(siluBackwardRatio(x[i], dx[i]), x[i], dx[i]);
            }
        }
        float[] grid = new float[BLOCK];
        for (int b = 0; b < 64; b++) {
            fillGrid(b, grid, 64 * BLOCK);
            Activations.siluBackwardSimd(BLOCK, grid, 0, ones, 0, dx, 0);
            for (int i = 0; i < BLOCK; i++) {
                w.record(siluBackwardRatio(grid[i], dx[i]), grid[i], dx[i]);
            }
        }
        LOG.log(System.Logger.Level.INFO, "siluBackward worst ratio " + w.ratio + " at " + w.x);
        assertTrue(w.ratio <= 1, () -> "siluBackward(" + w.x + ") = " + w.y + ", exact " + FloatError.siluDerivative(w.x));
    }

    /** The documented bound of silu′ in units of 2⁻²⁴·(σ + |x|σ(1 − σ)). */
    static final double SILU_DERIVATIVE_TERMS_BOUND = 4.8;

    static double siluBackwardRatio(float x, float g) {
        double e = FloatError.siluDerivative(x);
        if (Double.isNaN(e) || Float.isNaN(g)) {
            return Double.isNaN(e) == Float.isNaN(g) ? 0 : Double.POSITIVE_INFINITY;
        }
        double allowed = SILU_DERIVATIVE_TERMS_BOUND * FloatError.U * FloatError.siluDerivativeTerms(x);
        if (FloatError.sigmoid(x) < FloatError.MIN_NORMAL) {
            allowed += (1 + Math.abs((double) x)) * FloatError.MIN_NORMAL;
        }
        return Math.abs(g - e) / allowed;
    }

    // ---- documented special values, bit for bit ----

    private static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY, MAX = Float.MAX_VALUE,
            TINY = Float.MIN_VALUE, MIN_NORMAL = Float.MIN_NORMAL;

    /** Runs the SIMD variant over a whole vector (and a half, so the scalar tail runs too) of x. */
    private static float[] simd(Activation.Kernel k, float x) {
        int n = Simd.LANES * 2 + Simd.LANES / 2;
        float[] in = new float[n], out = new float[n];
        Arrays.fill(in, x);
        k.apply(n, in, 0, out, 0);
        return out;
    }

    private static void expectSimd(Activation.Kernel k, String name, float x, float expected) {
        float[] out = simd(k, x);
        for (int i = 0; i < Simd.LANES * 2; i++) { // the SIMD lanes
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[i]),
                    () -> name + "(" + x + ") should be " + expected);
        }
    }

    /** The SIMD variant and the scalar twin both give {@code expected}. */
    private static void expect(Activation f, float x, float expected) {
        expectSimd(f.simd, f.name().toLowerCase() + "Simd", x, expected);
        float[] out = new float[1];
        f.scalar.apply(1, new float[] {x}, 0, out, 0);
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[0]),
                () -> f.name().toLowerCase() + "Scalar(" + x + ") should be " + expected);
    }

    @Test
    void expSpecialValues() {
        Activation f = Activation.EXP;
        expect(f, 0f, 1f);
        expect(f, -0f, 1f);
        expect(f, INF, INF);
        expect(f, -INF, 0f);
        expect(f, NAN, NAN);
        expect(f, TINY, 1f);
        expect(f, -TINY, 1f);
        expect(f, MAX, INF);
        expect(f, -MAX, 0f);
        expect(f, 88.73f, INF);                 // overflow
        expect(f, -104f, 0f);                   // underflow
        expect(f, -103.9f, TINY);               // the last subnormal, rounded once
        assertTrue(simd(f.simd, 88.72f)[0] < INF, "e^88.72 is finite");
    }

    @Test
    void sigmoidSpecialValues() {
        Activation f = Activation.SIGMOID;
        expect(f, 0f, 0.5f);
        expect(f, -0f, 0.5f);
        expect(f, INF, 1f);
        expect(f, -INF, 0f);
        expect(f, NAN, NAN);
        expect(f, TINY, 0.5f);
        expect(f, -TINY, 0.5f);
        expect(f, MAX, 1f);
        expect(f, -MAX, 0f);
        expect(f, 17.4f, 1f);
        expectSimd(f.simd, "sigmoidSimd", -87.7f, 0f);  // exact value 8.2e-39 < 2⁻¹²⁶: flushed
        expectSimd(f.simd, "sigmoidSimd", -100f, 0f);
        float justAboveFlush = simd(f.simd, -87.5f)[0]; // n = −126: rounded once into the subnormals
        assertTrue(FloatError.ulps(justAboveFlush, FloatError.sigmoid(-87.5)) <= 2.5, "σ(−87.5) = " + justAboveFlush);
    }

    @Test
    void tanhSpecialValues() {
        Activation f = Activation.TANH;
        expect(f, 0f, 0f);
        expect(f, -0f, -0f);
        expect(f, INF, 1f);
        expect(f, -INF, -1f);
        expect(f, NAN, NAN);
        expect(f, TINY, TINY);
        expect(f, -TINY, -TINY);
        expect(f, MIN_NORMAL, MIN_NORMAL);
        expect(f, -MIN_NORMAL, -MIN_NORMAL);
        expect(f, 1e-20f, 1e-20f);
        expect(f, -1e-8f, -1e-8f);
        expect(f, 9.1f, 1f);
        expect(f, -9.1f, -1f);
        expect(f, MAX, 1f);
        expect(f, -MAX, -1f);
    }

    @Test
    void softplusSpecialValues() {
        Activation f = Activation.SOFTPLUS;
        float ln2 = (float) Math.log(2);
        expect(f, 0f, ln2);
        expect(f, -0f, ln2);
        expect(f, INF, INF);
        expect(f, -INF, 0f);
        expect(f, NAN, NAN);
        expect(f, TINY, ln2);
        expect(f, -TINY, ln2);
        expect(f, MAX, MAX);
        expect(f, 1e30f, 1e30f);
        expect(f, 17f, 17f);
        expect(f, -MAX, 0f);
        expectSimd(f.simd, "softplusSimd", -100f, 0f); // exact value 3.7e-44: flushed
    }

    @Test
    void siluSpecialValues() {
        Activation f = Activation.SILU;
        expect(f, 0f, 0f);
        expect(f, -0f, -0f);
        expect(f, INF, INF);
        expect(f, -INF, -0f);
        expect(f, NAN, NAN);
        expect(f, MAX, MAX);
        expect(f, -MAX, -0f);
        expect(f, 1e30f, 1e30f);
        expect(f, 17.4f, 17.4f);
        expect(f, -200f, -0f);
        expect(f, -1e30f, -0f);
        expect(f, MIN_NORMAL, MIN_NORMAL / 2);
        expect(f, -MIN_NORMAL, -MIN_NORMAL / 2);
        // a subnormal result far out, rounded once: −100·e^−100 = −3.72e−42
        float y = simd(f.simd, -100f)[0];
        assertTrue(FloatError.ulps(y, FloatError.silu(-100)) <= 3, "silu(−100) = " + y);
    }

    @Test
    void reluSpecialValues() {
        Activation.Kernel simd = Activations::reluSimd;
        for (float[] c : new float[][] {{0f, 0f}, {-0f, 0f}, {INF, INF}, {-INF, 0f}, {NAN, NAN}, {TINY, TINY},
                {-TINY, 0f}, {-1f, 0f}, {MAX, MAX}}) {
            expectSimd(simd, "reluSimd", c[0], c[1]);
        }
    }

    @Test
    void derivativeSpecialValues() {
        float[][] cases = { // x, dy, softplus′·dy, silu′·dy
                {INF, 3f, 3f, 3f},
                {-INF, 3f, 0f, -0f},
                {0f, 3f, 1.5f, 1.5f},
                {-0f, 3f, 1.5f, 1.5f},
                {1e30f, 3f, 3f, 3f},
                {-1e30f, 3f, 0f, -0f},
                {NAN, 3f, NAN, NAN},
                {1f, NAN, NAN, NAN},
        };
        int n = Simd.LANES * 2 + 3;
        for (float[] c : cases) {
            float[] x = new float[n], dy = new float[n], sp = new float[n], si = new float[n];
            float[] spScalar = new float[n], siScalar = new float[n];
            Arrays.fill(x, c[0]);
            Arrays.fill(dy, c[1]);
            Activations.softplusBackwardSimd(n, x, 0, dy, 0, sp, 0);
            Activations.siluBackwardSimd(n, x, 0, dy, 0, si, 0);
            Activations.softplusBackwardScalar(n, x, 0, dy, 0, spScalar, 0);
            Activations.siluBackwardScalar(n, x, 0, dy, 0, siScalar, 0);
            for (int i = 0; i < n; i++) {
                String at = "x=" + c[0] + ", dy=" + c[1] + ", element " + i;
                assertEquals(Float.floatToIntBits(c[2]), Float.floatToIntBits(sp[i]), "softplusBackwardSimd " + at);
                assertEquals(Float.floatToIntBits(c[3]), Float.floatToIntBits(si[i]), "siluBackwardSimd " + at);
                assertEquals(Float.floatToIntBits(c[2]), Float.floatToIntBits(spScalar[i]), "softplusBackwardScalar " + at);
                assertEquals(Float.floatToIntBits(c[3]), Float.floatToIntBits(siScalar[i]), "siluBackwardScalar " + at);
            }
        }
    }
}
