package io.github.rnnlab.kernel;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SIMD kernels of {@link VectorMath} against their scalar twins: bit-identical where documented,
 * within {@code n·2⁻²³·Σ|terms|} for the reductions, for sizes 0, 1, odd, around multiples of
 * {@link Simd#LANES} (and of the 4-vector unrolling), with offsets, strides and in-place use.
 */
class VectorMathProperties {
    static final int L = Simd.LANES;
    /** Untouched cells around every region, to catch writes outside [off, off + n). */
    static final int GUARD = 5;

    @Provide
    static Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, 3, 7),
                Arbitraries.integers().between(1, 9).flatMap(k -> Arbitraries.of(k * L - 1, k * L, k * L + 1)),
                Arbitraries.integers().between(0, 300));
    }

    static float[] randomArray(Random rnd, int length) {
        float[] a = new float[length];
        float scale = (float) Math.pow(10, rnd.nextInt(7) - 3);
        for (int i = 0; i < length; i++) {
            a[i] = (float) rnd.nextGaussian() * scale;
        }
        return a;
    }

    /** An elementwise kernel z = f(x, y) (z may be x or y). */
    interface Binary {
        void apply(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff);
    }

    enum Op {
        ADD(VectorMath::addSimd, VectorMath::addScalar),
        SUB(VectorMath::subSimd, VectorMath::subScalar),
        MUL(VectorMath::mulSimd, VectorMath::mulScalar),
        ADD_MUL(VectorMath::addMulSimd, VectorMath::addMulScalar),
        AXPY((n, x, xo, y, yo, z, zo) -> VectorMath.axpySimd(n, 0.37f, x, xo, z, zo),
                (n, x, xo, y, yo, z, zo) -> VectorMath.axpyScalar(n, 0.37f, x, xo, z, zo)),
        SCALE((n, x, xo, y, yo, z, zo) -> VectorMath.scaleSimd(n, -1.7f, z, zo),
                (n, x, xo, y, yo, z, zo) -> VectorMath.scaleScalar(n, -1.7f, z, zo));

        final Binary simd;
        final Binary scalar;

        Op(Binary simd, Binary scalar) {
            this.simd = simd;
            this.scalar = scalar;
        }
    }

    /** Where z lives: its own array, or the x or y region itself (in place). */
    enum Aliasing { SEPARATE, Z_IS_X, Z_IS_Y }

    @Property
    void elementwiseKernelsAreBitIdenticalToTheirScalarTwins(@ForAll Op op, @ForAll("sizes") int n,
                                                              @ForAll @IntRange(max = 7) int xOff,
                                                              @ForAll @IntRange(max = 7) int yOff,
                                                              @ForAll @IntRange(max = 7) int zOff,
                                                              @ForAll Aliasing aliasing, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] x = randomArray(rnd, xOff + n + GUARD), y = randomArray(rnd, yOff + n + GUARD);
        float[] z = randomArray(rnd, zOff + n + GUARD);
        float[][] simd = run(op.simd, n, x, xOff, y, yOff, z, zOff, aliasing);
        float[][] scalar = run(op.scalar, n, x, xOff, y, yOff, z, zOff, aliasing);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(scalar[k], simd[k], op + " array " + "xyz".charAt(k) + ", n=" + n + ", " + aliasing);
        }
        // and the kernel did something: the written region follows the formula (checked on one element)
        if (n > 0 && aliasing == Aliasing.SEPARATE) {
            int i = n - 1;
            float xi = x[xOff + i], yi = y[yOff + i], zi = z[zOff + i];
            float expected = switch (op) {
                case ADD -> xi + yi;
                case SUB -> xi - yi;
                case MUL -> xi * yi;
                case ADD_MUL -> Math.fma(xi, yi, zi);
                case AXPY -> Math.fma(0.37f, xi, zi);
                case SCALE -> zi * -1.7f;
            };
            assertEquals(expected, simd[2][zOff + i], op + " last element");
        }
    }

    /** Runs f on copies; returns the copies of x, y, z after the call. */
    private static float[][] run(Binary f, int n, float[] x0, int xOff, float[] y0, int yOff, float[] z0, int zOff,
                                 Aliasing aliasing) {
        float[] x = x0.clone(), y = y0.clone(), z = z0.clone();
        switch (aliasing) {
            case SEPARATE -> f.apply(n, x, xOff, y, yOff, z, zOff);
            case Z_IS_X -> f.apply(n, x, xOff, y, yOff, x, xOff);
            case Z_IS_Y -> f.apply(n, x, xOff, y, yOff, y, yOff);
        }
        return new float[][] {x, y, z};
    }

    @Property
    void reductionsAgreeWithinTheDocumentedBound(@ForAll("sizes") int n, @ForAll @IntRange(max = 7) int xOff,
                                                 @ForAll @IntRange(max = 7) int yOff, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] x = randomArray(rnd, xOff + n), y = randomArray(rnd, yOff + n);
        double dot = 0, dotAbs = 0, sum = 0, sumAbs = 0, sq = 0;
        for (int i = 0; i < n; i++) {
            double p = (double) x[xOff + i] * y[yOff + i];
            dot += p;
            dotAbs += Math.abs(p);
            sum += x[xOff + i];
            sumAbs += Math.abs(x[xOff + i]);
            sq += (double) x[xOff + i] * x[xOff + i];
        }
        // each variant is within n·2⁻²⁴·Σ|terms| of the exact sum, so the twins within n·2⁻²³·Σ|terms|
        double tiny = n * (double) Float.MIN_VALUE;
        checkReduction("dot", VectorMath.dotSimd(n, x, xOff, y, yOff), VectorMath.dotScalar(n, x, xOff, y, yOff),
                dot, n * FloatError.U * dotAbs + tiny);
        checkReduction("sum", VectorMath.sumSimd(n, x, xOff), VectorMath.sumScalar(n, x, xOff),
                sum, n * FloatError.U * sumAbs + tiny);
        checkReduction("sumSquares", VectorMath.sumSquaresSimd(n, x, xOff), VectorMath.sumSquaresScalar(n, x, xOff),
                sq, n * FloatError.U * sq + tiny);
    }

    private static void checkReduction(String name, float simd, float scalar, double exact, double bound) {
        assertTrue(Math.abs(simd - exact) <= bound, () -> name + "Simd " + simd + " vs exact " + exact + ", bound " + bound);
        assertTrue(Math.abs(scalar - exact) <= bound, () -> name + "Scalar " + scalar + " vs exact " + exact + ", bound " + bound);
        assertTrue(Math.abs(simd - scalar) <= 2 * bound, () -> name + " twins " + simd + " vs " + scalar);
    }

    /** Values with many ties, signed zeros, infinities and (sometimes) NaNs. */
    static float[] tieArray(Random rnd, int length, boolean withNaN) {
        float[] pool = {Float.NEGATIVE_INFINITY, -2f, -1f, -0f, 0f, 1f, 2f, Float.POSITIVE_INFINITY};
        int top = rnd.nextInt(pool.length) + 1; // restrict the pool sometimes, so that −∞, −0 or 1 is the max
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = pool[rnd.nextInt(top)];
        }
        if (withNaN && length > 0) {
            int k = rnd.nextInt(3) + 1;
            for (int j = 0; j < k; j++) {
                a[rnd.nextInt(length)] = Float.NaN;
            }
        }
        return a;
    }

    @Property
    void maxAndArgmaxEqualTheirScalarTwinsExactly(@ForAll("sizes") int n, @ForAll @IntRange(max = 7) int off,
                                                   @ForAll boolean withNaN, @ForAll boolean ties, @ForAll long seed) {
        Random rnd = new Random(seed);
        float[] x = ties ? tieArray(rnd, off + n, withNaN) : randomArray(rnd, off + n);
        if (!ties && withNaN && n > 0) {
            x[off + rnd.nextInt(n)] = Float.NaN;
        }
        float simd = VectorMath.maxSimd(n, x, off), scalar = VectorMath.maxScalar(n, x, off);
        assertEquals(Float.floatToIntBits(scalar), Float.floatToIntBits(simd),
                () -> "max " + simd + " vs " + scalar + " of " + Arrays.toString(Arrays.copyOfRange(x, off, off + n)));
        int ia = VectorMath.argmaxSimd(n, x, off), ib = VectorMath.argmaxScalar(n, x, off);
        assertEquals(ib, ia, () -> "argmax of " + Arrays.toString(Arrays.copyOfRange(x, off, off + n)));
        if (n > 0) {
            // the meaning, independently: the first NaN, else the first element equal to the maximum
            int expected = -1;
            for (int i = 0; i < n && expected < 0; i++) {
                if (Float.isNaN(x[off + i])) {
                    expected = i;
                }
            }
            if (expected < 0) {
                for (int i = 0; i < n && expected < 0; i++) {
                    if (x[off + i] == scalar) {
                        expected = i;
                    }
                }
            }
            assertEquals(expected, ia);
        }
    }

    @Example
    void maxAndArgmaxEdgeCases() {
        float[] empty = new float[3];
        assertEquals(Float.NEGATIVE_INFINITY, VectorMath.maxSimd(0, empty, 1));
        assertEquals(-1, VectorMath.argmaxSimd(0, empty, 1));
        int n = 3 * L + 5;
        float[] x = new float[n];
        Arrays.fill(x, -0f);
        x[2 * L + 3] = 0f;
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(VectorMath.maxSimd(n, x, 0)), "+0 > −0");
        assertEquals(0, VectorMath.argmaxSimd(n, x, 0), "−0 and +0 tie: the first");
        Arrays.fill(x, Float.NEGATIVE_INFINITY);
        assertEquals(0, VectorMath.argmaxSimd(n, x, 0), "all −∞: the first");
        x[L + 1] = 5f;
        x[3 * L + 2] = 5f;
        assertEquals(L + 1, VectorMath.argmaxSimd(n, x, 0), "first of tied maxima");
        x[3 * L + 4] = Float.NaN; // in the scalar tail
        x[2 * L] = Float.NaN;     // in a vector
        assertTrue(Float.isNaN(VectorMath.maxSimd(n, x, 0)));
        assertEquals(2 * L, VectorMath.argmaxSimd(n, x, 0), "the first NaN");
        assertEquals(2 * L - (L + 2), VectorMath.argmaxSimd(n - (L + 2), x, L + 2), "index relative to the offset");
        assertEquals(3 * L + 4 - (2 * L + 1), VectorMath.argmaxSimd(n - (2 * L + 1), x, 2 * L + 1), "the NaN in the tail");
    }

    @Property(tries = 300)
    void rowAndColumnKernelsAreBitIdenticalToTheirScalarTwins(@ForAll @IntRange(max = 9) int rows,
                                                              @ForAll("sizes") int cols,
                                                              @ForAll @IntRange(max = 9) int pad,
                                                              @ForAll @IntRange(max = 7) int cOff,
                                                              @ForAll @IntRange(max = 7) int vOff,
                                                              @ForAll long seed) {
        Random rnd = new Random(seed);
        int ld = cols + pad;
        float[] c = randomArray(rnd, cOff + rows * ld + GUARD), v = randomArray(rnd, vOff + cols + GUARD);
        float[] c1 = c.clone(), c2 = c.clone();
        VectorMath.addRowVectorSimd(rows, cols, v, vOff, c1, cOff, ld);
        VectorMath.addRowVectorScalar(rows, cols, v, vOff, c2, cOff, ld);
        assertArrayEquals(c2, c1, "addRowVector");
        if (rows > 0 && cols > 0) {
            assertEquals(c[cOff + (rows - 1) * ld + cols - 1] + v[vOff + cols - 1], c1[cOff + (rows - 1) * ld + cols - 1]);
        }

        float[] out = randomArray(rnd, vOff + cols + GUARD);
        float[] o1 = out.clone(), o2 = out.clone();
        VectorMath.addColumnSumsSimd(rows, cols, c, cOff, ld, o1, vOff);
        VectorMath.addColumnSumsScalar(rows, cols, c, cOff, ld, o2, vOff);
        assertArrayEquals(o2, o1, "addColumnSums");
        if (cols > 0) {
            float s = out[vOff];
            for (int i = 0; i < rows; i++) {
                s += c[cOff + i * ld];
            }
            assertEquals(s, o1[vOff], "column 0, rows added in order");
        }
    }

    @Example
    void defaultEntryPointsRunTheVariantThatSimdEnabledSelects() {
        Random rnd = new Random(7);
        int n = 40 * L + 3;
        float[] x = randomArray(rnd, n), y = randomArray(rnd, n);
        float simd = VectorMath.dotSimd(n, x, 0, y, 0), scalar = VectorMath.dotScalar(n, x, 0, y, 0);
        assertNotEquals(simd, scalar, "precondition: the twins differ on this input");
        assertEquals(Simd.ENABLED ? simd : scalar, VectorMath.dot(n, x, 0, y, 0));
    }
}
