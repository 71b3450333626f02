package io.github.rnnlab.kernel;

import io.github.rnnlab.ShapeException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Gemm}: the Vector API kernel and the scalar twin against a float64 triple loop, and the
 * team-split variants against the single-threaded result.
 *
 * <p>Error bound (standard for a float dot product of length k, evaluated with any order and any
 * mix of fused and unfused operations): {@code |c − c_exact| ≤ γ·(|α|·Σₚ|a_ip||b_pj| + |β·c_ij|)}
 * with {@code γ = (k + 3)·2⁻²³}. SIMD and scalar then agree within twice that.
 */
class GemmProperties {

    /** One GEMM problem: shapes, transposes, offsets, strides and scalars; the data come from {@code seed}. */
    record Problem(Transpose ta, Transpose tb, int m, int n, int k, int aOff, int bOff, int cOff,
                   int aPad, int bPad, int cPad, float alpha, float beta, long seed) {
        int lda() { return (ta == Transpose.NO ? k : m) + aPad; }
        int ldb() { return (tb == Transpose.NO ? n : k) + bPad; }
        int ldc() { return n + cPad; }
        int aRows() { return ta == Transpose.NO ? m : k; }
        int bRows() { return tb == Transpose.NO ? k : n; }

        float[] a() { return random(aOff + aRows() * lda() + 3, seed); }
        float[] b() { return random(bOff + bRows() * ldb() + 3, seed + 1); }

        /** C with random values, and NaN in the m×n region when β = 0 (BLAS ignores C then). */
        float[] c() {
            float[] c = random(cOff + m * ldc() + 3, seed + 2);
            if (beta == 0f) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc(), cOff + i * ldc() + n, Float.NaN);
                }
            }
            return c;
        }

        double a(float[] a, int i, int p) { return ta == Transpose.NO ? a[aOff + i * lda() + p] : a[aOff + p * lda() + i]; }
        double b(float[] b, int p, int j) { return tb == Transpose.NO ? b[bOff + p * ldb() + j] : b[bOff + j * ldb() + p]; }

        void simd(float[] a, float[] b, float[] c) {
            Gemm.gemmSimd(ta, tb, m, n, k, alpha, a, aOff, lda(), b, bOff, ldb(), beta, c, cOff, ldc());
        }

        void scalar(float[] a, float[] b, float[] c) {
            Gemm.gemmScalar(ta, tb, m, n, k, alpha, a, aOff, lda(), b, bOff, ldb(), beta, c, cOff, ldc());
        }
    }

    static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Sizes around the lane count (16), the micro-tile (12 × 32) and the depth block (256). */
    static Arbitrary<Integer> size() {
        return Arbitraries.oneOf(Arbitraries.of(0, 1, 2, 3, 4, 5, 7, 8, 11, 12, 13, 15, 16, 17, 31, 32, 33, 47, 64),
                Arbitraries.integers().between(0, 80));
    }

    static Arbitrary<Float> scalar() {
        return Arbitraries.oneOf(Arbitraries.of(0f, 1f, -1f, 0.5f), Arbitraries.floats().between(-2f, 2f));
    }

    @Provide
    Arbitrary<Problem> problems() {
        Arbitrary<Integer> depth = Arbitraries.oneOf(size(), Arbitraries.of(255, 256, 257, 300));
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> pad = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 9));
        return Combinators.combine(
                Combinators.combine(Arbitraries.of(Transpose.class), Arbitraries.of(Transpose.class), size(), size(), depth)
                        .as((ta, tb, m, n, k) -> new int[]{ta.ordinal(), tb.ordinal(), m, n, k}),
                Combinators.combine(small, small, small, pad, pad, pad).as((x, y, z, u, v, w) -> new int[]{x, y, z, u, v, w}),
                scalar(), Arbitraries.oneOf(Arbitraries.of(0f, 1f), scalar()), Arbitraries.longs())
                .as((s, o, alpha, beta, seed) -> new Problem(Transpose.values()[s[0]], Transpose.values()[s[1]],
                        s[2], s[3], s[4], o[0], o[1], o[2], o[3], o[4], o[5], alpha, beta, seed));
    }

    @Property(tries = 400)
    void simdAndScalarMatchDoubleReference(@ForAll("problems") Problem p) {
        float[] a = p.a(), b = p.b(), c0 = p.c();
        float[] simd = c0.clone(), scalar = c0.clone();
        p.simd(a, b, simd);
        p.scalar(a, b, scalar);
        double gamma = (p.k() + 3) * 0x1p-23;
        for (int i = 0; i < p.m(); i++) {
            for (int j = 0; j < p.n(); j++) {
                double exact = 0, magnitude = 0;
                for (int q = 0; q < p.k(); q++) {
                    double t = p.a(a, i, q) * p.b(b, q, j);
                    exact += t;
                    magnitude += Math.abs(t);
                }
                int at = p.cOff() + i * p.ldc() + j;
                double old = p.beta() == 0f ? 0 : c0[at];
                double expected = p.alpha() * exact + p.beta() * old;
                double bound = gamma * (Math.abs(p.alpha()) * magnitude + Math.abs(p.beta() * old)) + Float.MIN_NORMAL;
                String where = p + " at (" + i + ", " + j + ")";
                assertTrue(Math.abs(simd[at] - expected) <= bound, () -> "simd " + simd[at] + " vs " + expected + " ± " + bound + " " + where);
                assertTrue(Math.abs(scalar[at] - expected) <= bound, () -> "scalar " + scalar[at] + " vs " + expected + " ± " + bound + " " + where);
                assertTrue(Math.abs(simd[at] - scalar[at]) <= 2 * bound, () -> "simd vs scalar " + where);
            }
        }
        assertOutsideUntouched(p, c0, simd);
        assertOutsideUntouched(p, c0, scalar);
    }

    /** Elements of C outside the m×n region (before the offset, in the stride padding, after the end) keep their values. */
    static void assertOutsideUntouched(Problem p, float[] before, float[] after) {
        for (int x = 0; x < before.length; x++) {
            int rel = x - p.cOff();
            boolean inside = p.ldc() > 0 && rel >= 0 && rel / p.ldc() < p.m() && rel % p.ldc() < p.n();
            if (!inside) {
                assertEquals(Float.floatToRawIntBits(before[x]), Float.floatToRawIntBits(after[x]), "C[" + x + "] outside the product changed, " + p);
            }
        }
    }

    @Property(tries = 150)
    void teamSplitEqualsSingleThread(@ForAll("problems") Problem p) {
        // scale the shape up so that the product is large enough to be split
        Problem big = new Problem(p.ta(), p.tb(), p.m() * 3 + 1, p.n() * 3 + 2, p.k() + 20, p.aOff(), p.bOff(), p.cOff(),
                p.aPad(), p.bPad(), p.cPad(), p.alpha(), p.beta(), p.seed());
        for (Problem q : new Problem[]{p, big}) {
            float[] a = q.a(), b = q.b(), c0 = q.c();
            float[] simd1 = c0.clone(), scalar1 = c0.clone();
            q.simd(a, b, simd1);
            q.scalar(a, b, scalar1);
            for (WorkerTeam team : TEAMS) {
                float[] simd = c0.clone(), scalar = c0.clone();
                Gemm.gemmSimd(team, q.ta(), q.tb(), q.m(), q.n(), q.k(), q.alpha(), a, q.aOff(), q.lda(), b, q.bOff(), q.ldb(),
                        q.beta(), simd, q.cOff(), q.ldc());
                Gemm.gemmScalar(team, q.ta(), q.tb(), q.m(), q.n(), q.k(), q.alpha(), a, q.aOff(), q.lda(), b, q.bOff(), q.ldb(),
                        q.beta(), scalar, q.cOff(), q.ldc());
                // every element is computed with the same operations in the same order whatever the split
                assertArrayEquals(simd1, simd, () -> "simd, team of " + team.size() + ", " + q);
                assertArrayEquals(scalar1, scalar, () -> "scalar, team of " + team.size() + ", " + q);
            }
        }
    }

    private static final WorkerTeam[] TEAMS = {new WorkerTeam(1), new WorkerTeam(2), new WorkerTeam(3)};

    @Example
    void rnnShapesSplitAcrossTwoAndThreeMembers() {
        int[][] shapes = {{64, 1024, 128}, {1, 1024, 256}, {512, 64, 40}, {2, 300, 77}};
        for (int[] s : shapes) {
            for (Transpose tb : Transpose.values()) {
                Problem p = new Problem(Transpose.NO, tb, s[0], s[1], s[2], 0, 0, 0, 0, 0, 0, 1f, 0f, 7);
                float[] a = p.a(), b = p.b(), one = p.c(), two = p.c(), three = p.c();
                p.simd(a, b, one);
                Gemm.gemmSimd(TEAMS[1], p.ta(), tb, p.m(), p.n(), p.k(), 1f, a, 0, p.lda(), b, 0, p.ldb(), 0f, two, 0, p.ldc());
                Gemm.gemmSimd(TEAMS[2], p.ta(), tb, p.m(), p.n(), p.k(), 1f, a, 0, p.lda(), b, 0, p.ldb(), 0f, three, 0, p.ldc());
                assertArrayEquals(one, two, Arrays.toString(s) + " " + tb);
                assertArrayEquals(one, three, Arrays.toString(s) + " " + tb);
            }
        }
    }

    @Example
    void shareSplitsIntoWholeUnits() {
        assertEquals(0, WorkerTeam.begin(100, 32, 0, 2));
        assertEquals(64, WorkerTeam.begin(100, 32, 1, 2)); // 4 units of 32: 2 each, the last one short
        assertEquals(100, WorkerTeam.begin(100, 32, 2, 2));
        assertEquals(1, WorkerTeam.begin(1, 32, 1, 1));
        assertEquals(0, WorkerTeam.begin(1, 32, 0, 3));
        assertEquals(0, WorkerTeam.begin(1, 32, 1, 3));
        assertEquals(1, WorkerTeam.begin(1, 32, 3, 3));
    }

    @Example
    void betaZeroOverwritesNaNAndAlphaZeroOnlyScales() {
        float[] a = {Float.NaN, 1, 2, 3}, b = {1, 2, 3, 4}, c = {Float.NaN, Float.NaN, 5, 6};
        Gemm.gemmSimd(Transpose.NO, Transpose.NO, 2, 2, 2, 0f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[]{0, 0, 0, 0}, c);
        float[] d = {1, 2, 3, 4};
        Gemm.gemmSimd(Transpose.NO, Transpose.NO, 2, 2, 0, 1f, a, 0, 2, b, 0, 2, 2f, d, 0, 2);
        assertArrayEquals(new float[]{2, 4, 6, 8}, d);
        float[] e = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Gemm.gemmSimd(Transpose.NO, Transpose.NO, 2, 2, 2, 1f, new float[]{1, 2, 3, 4}, 0, 2, b, 0, 2, 0f, e, 0, 2);
        assertArrayEquals(new float[]{7, 10, 15, 22}, e);
    }

    @Example
    void badShapesAreReportedWithWhatWasExpected() {
        float[] x = new float[8];
        ShapeException e = assertThrows(ShapeException.class,
                () -> Gemm.gemmSimd(Transpose.NO, Transpose.NO, 3, 3, 3, 1f, x, 0, 3, new float[9], 0, 3, 0f, new float[9], 0, 3));
        assertTrue(e.getMessage().contains("gemm A") && e.getMessage().contains("expected 9 elements"), e.getMessage());
        e = assertThrows(ShapeException.class,
                () -> Gemm.gemmScalar(Transpose.NO, Transpose.NO, 2, 3, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 3));
        assertTrue(e.getMessage().contains("gemm B row stride: expected at least 3, got 2"), e.getMessage());
        e = assertThrows(ShapeException.class,
                () -> Gemm.gemm(null, Transpose.NO, Transpose.NO, -1, 3, 2, 1f, x, 0, 2, x, 0, 3, 0f, x, 0, 3));
        assertTrue(e.getMessage().contains("got m=-1"), e.getMessage());
    }
}
