package io.github.rnnlab.kernel;

import io.github.rnnlab.ShapeException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PackedGemm}: op(B) packed once, then {@code C = A·op(B) + β·C} by the Vector API kernel and
 * by the scalar twin, against a float64 triple loop with the error bound of {@link GemmProperties}
 * ({@code γ = (k + 3)·2⁻²³} times the sum of magnitudes); row blocks computed separately give exactly
 * the rows of the whole product; the packing leaves the rest of its buffer alone.
 */
class PackedGemmProperties {

    /** One problem: A m×k (stride k + aPad, at aOff), op(B) k×n stored as tb says, C m×n (stride n + cPad). */
    record Problem(Transpose tb, int m, int n, int k, int aOff, int bOff, int cOff, int pOff,
                   int aPad, int bPad, int cPad, float beta, long seed) {
        int lda() { return k + aPad; }
        int ldb() { return (tb == Transpose.NO ? n : k) + bPad; }
        int ldc() { return n + cPad; }

        float[] a() { return GemmProperties.random(aOff + m * lda() + 3, seed); }
        float[] b() { return GemmProperties.random(bOff + (tb == Transpose.NO ? k : n) * ldb() + 3, seed + 1); }

        float[] c() {
            float[] c = GemmProperties.random(cOff + m * ldc() + 3, seed + 2);
            if (beta == 0f) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc(), cOff + i * ldc() + n, Float.NaN);
                }
            }
            return c;
        }

        float[] packed(float[] b) {
            float[] p = new float[pOff + PackedGemm.packedSize(k, n) + 5];
            Arrays.fill(p, 7f);
            PackedGemm.pack(tb, k, n, b, bOff, ldb(), p, pOff);
            return p;
        }

        double a(float[] a, int i, int p) { return a[aOff + i * lda() + p]; }
        double b(float[] b, int p, int j) { return tb == Transpose.NO ? b[bOff + p * ldb() + j] : b[bOff + j * ldb() + p]; }
    }

    @Provide
    Arbitrary<Problem> problems() {
        Arbitrary<Integer> depth = Arbitraries.oneOf(GemmProperties.size(), Arbitraries.of(191, 192, 193, 256, 257, 400));
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> pad = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 9));
        Arbitrary<Float> beta = Arbitraries.oneOf(Arbitraries.of(0f, 1f), GemmProperties.scalar());
        return Combinators.combine(
                Combinators.combine(Arbitraries.of(Transpose.class), GemmProperties.size(), GemmProperties.size(), depth)
                        .as((tb, m, n, k) -> new int[]{tb.ordinal(), m, n, k}),
                Combinators.combine(small, small, small, small, pad, pad, pad).as((x, y, z, w, u, v, q) -> new int[]{x, y, z, w, u, v, q}),
                beta, Arbitraries.longs())
                .as((s, o, bt, seed) -> new Problem(Transpose.values()[s[0]], s[1], s[2], s[3], o[0], o[1], o[2], o[3],
                        o[4], o[5], o[6], bt, seed));
    }

    @Property(tries = 300)
    void simdAndScalarMatchDoubleReference(@ForAll("problems") Problem p) {
        float[] a = p.a(), b = p.b(), c0 = p.c(), packed = p.packed(b);
        float[] simd = c0.clone(), scalar = c0.clone();
        PackedGemm.gemmSimd(p.m(), p.n(), p.k(), a, p.aOff(), p.lda(), packed, p.pOff(), p.beta(), simd, p.cOff(), p.ldc());
        PackedGemm.gemmScalar(p.m(), p.n(), p.k(), a, p.aOff(), p.lda(), packed, p.pOff(), p.beta(), scalar, p.cOff(), p.ldc());
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
                double expected = exact + p.beta() * old;
                double bound = gamma * (magnitude + Math.abs(p.beta() * old)) + Float.MIN_NORMAL;
                String where = p + " at (" + i + ", " + j + ")";
                assertTrue(Math.abs(simd[at] - expected) <= bound, () -> "simd " + simd[at] + " vs " + expected + " ± " + bound + " " + where);
                assertTrue(Math.abs(scalar[at] - expected) <= bound, () -> "scalar " + scalar[at] + " vs " + expected + " ± " + bound + " " + where);
            }
        }
        for (int x = 0; x < c0.length; x++) {
            int rel = x - p.cOff();
            boolean inside = p.ldc() > 0 && rel >= 0 && rel / p.ldc() < p.m() && rel % p.ldc() < p.n();
            if (!inside) {
                assertEquals(Float.floatToRawIntBits(c0[x]), Float.floatToRawIntBits(simd[x]), "simd changed C[" + x + "] outside, " + p);
                assertEquals(Float.floatToRawIntBits(c0[x]), Float.floatToRawIntBits(scalar[x]), "scalar changed C[" + x + "] outside, " + p);
            }
        }
    }

    @Property(tries = 150)
    void rowBlocksGiveExactlyTheRowsOfTheWholeProduct(@ForAll("problems") Problem p) {
        float[] a = p.a(), b = p.b(), c0 = p.c(), packed = p.packed(b);
        float[] whole = c0.clone(), parts = c0.clone();
        PackedGemm.gemmSimd(p.m(), p.n(), p.k(), a, p.aOff(), p.lda(), packed, p.pOff(), p.beta(), whole, p.cOff(), p.ldc());
        // three blocks of rows, as team members computing a step each take their own rows
        int r1 = p.m() / 3, r2 = p.m() - p.m() / 4;
        int[] cuts = {0, r1, Math.max(r1, r2), p.m()};
        for (int q = 0; q < 3; q++) {
            int rows = cuts[q + 1] - cuts[q];
            PackedGemm.gemmSimd(rows, p.n(), p.k(), a, p.aOff() + cuts[q] * p.lda(), p.lda(), packed, p.pOff(), p.beta(),
                    parts, p.cOff() + cuts[q] * p.ldc(), p.ldc());
        }
        assertArrayEquals(whole, parts, p::toString);
    }

    @Property(tries = 100)
    void packingWritesExactlyItsRegionAndMatchesTheGeneralGemm(@ForAll("problems") Problem p) {
        float[] b = p.b(), packed = p.packed(b);
        int size = PackedGemm.packedSize(p.k(), p.n());
        for (int x = 0; x < packed.length; x++) {
            if (x < p.pOff() || x >= p.pOff() + size) {
                assertEquals(7f, packed[x], "packed[" + x + "] outside the region, " + p);
            }
        }
        // the packed product with β = 0 agrees with the general GEMM (which packs op(B) itself) within the bound
        float[] a = p.a(), c1 = p.c(), c2 = c1.clone();
        PackedGemm.gemmSimd(p.m(), p.n(), p.k(), a, p.aOff(), p.lda(), packed, p.pOff(), 0f, c1, p.cOff(), p.ldc());
        Gemm.gemmSimd(Transpose.NO, p.tb(), p.m(), p.n(), p.k(), 1f, a, p.aOff(), p.lda(), b, p.bOff(), p.ldb(), 0f,
                c2, p.cOff(), p.ldc());
        double gamma = (p.k() + 3) * 0x1p-23;
        for (int i = 0; i < p.m(); i++) {
            for (int j = 0; j < p.n(); j++) {
                double magnitude = 0;
                for (int q = 0; q < p.k(); q++) {
                    magnitude += Math.abs(p.a(a, i, q) * p.b(b, q, j));
                }
                int at = p.cOff() + i * p.ldc() + j;
                assertTrue(Math.abs(c1[at] - c2[at]) <= 2 * gamma * magnitude + Float.MIN_NORMAL, p::toString);
            }
        }
    }

    /**
     * Both packings (B as stored, and transposed: the SIMD build transposes 16×16 blocks in registers,
     * with scalar tails) put every element of op(B) where the layout says, bit for bit, zeros in the
     * padding columns; and two column ranges that split [0, n) at any point write exactly the whole packing.
     */
    @Property(tries = 200)
    void everyElementLandsWhereTheLayoutSays(@ForAll("problems") Problem p, @ForAll @IntRange(min = 0, max = 1000) int cutPerMille) {
        float[] b = p.b(), packed = p.packed(b);
        int k = p.k(), n = p.n(), nr = PackedGemm.NR, nPad = PackedGemm.paddedColumns(n), kStep = PackedGemm.depthStep(k);
        for (int q = 0; q < k; q++) {
            int pc = q / kStep * kStep, kc = Math.min(kStep, k - pc);
            for (int j = 0; j < nPad; j++) {
                float want = j < n ? (float) p.b(b, q, j) : 0f;
                int at = p.pOff() + pc * nPad + j / nr * nr * kc + (q - pc) * nr + j % nr;
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(packed[at]),
                        "op(B)(" + q + ", " + j + ") at " + at + ", " + p);
            }
        }
        int cut = (int) ((long) n * cutPerMille / 1000);
        float[] parts = new float[packed.length];
        Arrays.fill(parts, 7f);
        PackedGemm.pack(p.tb(), k, n, 0, cut, b, p.bOff(), p.ldb(), parts, p.pOff());
        PackedGemm.pack(p.tb(), k, n, cut, n, b, p.bOff(), p.ldb(), parts, p.pOff());
        assertArrayEquals(packed, parts, () -> "split at column " + cut + ", " + p);
    }

    @Example
    void layoutAndSizes() {
        assertEquals(0, PackedGemm.packedSize(0, 5));
        assertEquals(3 * PackedGemm.NR, PackedGemm.packedSize(3, 1));
        assertEquals(256 * 1024, PackedGemm.packedSize(256, 1024));
        assertEquals(128, PackedGemm.depthStep(256));
        assertEquals(171, PackedGemm.depthStep(512));
        assertEquals(192, PackedGemm.depthStep(192));
        // element (p, j) of op(B) = B (k×n) at pc·n̄ + (j/NR)·NR·kc + (p − pc)·NR + j mod NR
        int k = 300, n = PackedGemm.NR + 3, nPad = 2 * PackedGemm.NR, kStep = PackedGemm.depthStep(k);
        float[] b = new float[k * n];
        for (int i = 0; i < b.length; i++) {
            b[i] = i;
        }
        float[] packed = new float[PackedGemm.packedSize(k, n)];
        PackedGemm.pack(Transpose.NO, k, n, b, 0, n, packed, 0);
        for (int p = 0; p < k; p++) {
            int pc = p / kStep * kStep, kc = Math.min(kStep, k - pc);
            for (int j = 0; j < nPad; j++) {
                float want = j < n ? b[p * n + j] : 0f;
                assertEquals(want, packed[pc * nPad + j / PackedGemm.NR * PackedGemm.NR * kc + (p - pc) * PackedGemm.NR
                        + j % PackedGemm.NR], "(" + p + ", " + j + ")");
            }
        }
    }

    @Example
    void badShapesAreReportedWithWhatWasExpected() {
        float[] x = new float[8];
        ShapeException e = assertThrows(ShapeException.class,
                () -> PackedGemm.gemmSimd(3, 3, 3, x, 0, 3, new float[PackedGemm.packedSize(3, 3)], 0, 0f, new float[9], 0, 3));
        assertTrue(e.getMessage().contains("packed gemm A") && e.getMessage().contains("expected 9 elements"), e.getMessage());
        e = assertThrows(ShapeException.class,
                () -> PackedGemm.gemmScalar(2, 3, 2, new float[4], 0, 2, new float[5], 0, 0f, new float[6], 0, 3));
        assertTrue(e.getMessage().contains("packed gemm B") && e.getMessage().contains("expected " + PackedGemm.packedSize(2, 3)),
                e.getMessage());
        e = assertThrows(ShapeException.class, () -> PackedGemm.pack(Transpose.YES, 4, 3, x, 0, 4, new float[100], 0));
        assertTrue(e.getMessage().contains("packed gemm B (transposed)") && e.getMessage().contains("expected 12 elements"),
                e.getMessage());
        e = assertThrows(ShapeException.class, () -> PackedGemm.gemmSimd(-1, 3, 2, x, 0, 2, x, 0, 0f, x, 0, 3));
        assertTrue(e.getMessage().contains("got m=-1"), e.getMessage());
    }
}
