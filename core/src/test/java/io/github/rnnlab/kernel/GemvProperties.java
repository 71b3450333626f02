package io.github.rnnlab.kernel;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link VectorMath#gemvSimd} and {@link VectorMath#gemvScalar} against a float64 loop, with the
 * bound {@code |y − y_exact| ≤ (n + 3)·2⁻²³·(|α|·Σⱼ|a_ij x_j| + |β·y_i|)}.
 */
class GemvProperties {

    record Problem(Transpose ta, int m, int n, int aOff, int xOff, int yOff, int pad, float alpha, float beta, long seed) {
        int lda() { return (ta == Transpose.NO ? n : m) + pad; }
        float[] a() { return GemmProperties.random(aOff + (ta == Transpose.NO ? m : n) * lda() + 2, seed); }
        float[] x() { return GemmProperties.random(xOff + n + 2, seed + 1); }
        float[] y() {
            float[] y = GemmProperties.random(yOff + m + 2, seed + 2);
            if (beta == 0f) Arrays.fill(y, yOff, yOff + m, Float.NaN);
            return y;
        }
        double a(float[] a, int i, int j) { return ta == Transpose.NO ? a[aOff + i * lda() + j] : a[aOff + j * lda() + i]; }
    }

    @Provide
    Arbitrary<Problem> problems() {
        Arbitrary<Integer> size = Arbitraries.oneOf(Arbitraries.of(0, 1, 2, 3, 4, 5, 15, 16, 17, 31, 33, 63, 64, 65, 67),
                Arbitraries.integers().between(0, 200));
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 3);
        Arbitrary<int[]> offsets = Combinators.combine(small, small, small,
                Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 7))).as((a, x, y, pad) -> new int[]{a, x, y, pad});
        return Combinators.combine(Arbitraries.of(Transpose.class), size, size, offsets,
                        GemmProperties.scalar(), Arbitraries.oneOf(Arbitraries.of(0f, 1f), GemmProperties.scalar()))
                .as((ta, m, n, o, alpha, beta) -> new Problem(ta, m, n, o[0], o[1], o[2], o[3], alpha, beta,
                        31L * m + 7L * n + o[0] + ta.ordinal()));
    }

    @Property(tries = 400)
    void simdAndScalarMatchDoubleReference(@ForAll("problems") Problem p) {
        float[] a = p.a(), x = p.x(), y0 = p.y();
        float[] simd = y0.clone(), scalar = y0.clone();
        VectorMath.gemvSimd(p.ta(), p.m(), p.n(), p.alpha(), a, p.aOff(), p.lda(), x, p.xOff(), p.beta(), simd, p.yOff());
        VectorMath.gemvScalar(p.ta(), p.m(), p.n(), p.alpha(), a, p.aOff(), p.lda(), x, p.xOff(), p.beta(), scalar, p.yOff());
        double gamma = (p.n() + 3) * 0x1p-23;
        for (int i = 0; i < p.m(); i++) {
            double exact = 0, magnitude = 0;
            for (int j = 0; j < p.n(); j++) {
                double t = p.a(a, i, j) * x[p.xOff() + j];
                exact += t;
                magnitude += Math.abs(t);
            }
            double old = p.beta() == 0f ? 0 : y0[p.yOff() + i];
            double expected = p.alpha() * exact + p.beta() * old;
            double bound = gamma * (Math.abs(p.alpha()) * magnitude + Math.abs(p.beta() * old)) + Float.MIN_NORMAL;
            int at = p.yOff() + i;
            assertTrue(Math.abs(simd[at] - expected) <= bound, "simd " + simd[at] + " vs " + expected + " ± " + bound + " at " + i + ", " + p);
            assertTrue(Math.abs(scalar[at] - expected) <= bound, "scalar " + scalar[at] + " vs " + expected + " at " + i + ", " + p);
        }
        for (int i = 0; i < y0.length; i++) {
            if (i < p.yOff() || i >= p.yOff() + p.m()) {
                assertEquals(Float.floatToRawIntBits(y0[i]), Float.floatToRawIntBits(simd[i]), "y outside the result changed at " + i);
            }
        }
    }

    @Example
    void bothTransposesOnASmallMatrix() {
        float[] a = {1, 2, 3, 4, 5, 6}; // 2×3
        float[] y = {Float.NaN, Float.NaN};
        VectorMath.gemvSimd(Transpose.NO, 2, 3, 2f, a, 0, 3, new float[]{1, 1, 1}, 0, 0f, y, 0);
        assertArrayEquals(new float[]{12, 30}, y);
        float[] z = {1, 1, 1};
        VectorMath.gemvSimd(Transpose.YES, 3, 2, 1f, a, 0, 3, new float[]{1, 10}, 0, 3f, z, 0);
        assertArrayEquals(new float[]{44, 55, 66}, z);
    }
}
