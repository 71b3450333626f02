package io.github.rnnlab.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Level-1 and level-2 kernels on {@code float[]}: vectors are (array, offset) with {@code n}
 * contiguous elements; matrices are row-major (array, offset, row stride). Each entry point runs the
 * Vector API variant unless {@code -Drnnlab.simd=false}; the {@code ...Simd} and {@code ...Scalar}
 * variants are public so that tests and benchmarks can compare them. Output arrays may be the same
 * array region as an input (in-place) wherever the formula is elementwise.
 *
 * <p>How the twins agree:
 * <ul>
 *   <li>Elementwise kernels ({@link #axpy}, {@link #scale}, {@link #add}, {@link #sub}, {@link #mul},
 *   {@link #addMul}, {@link #addRowVector}, {@link #addColumnSums}) do the same float operations
 *   in the same order in both twins (a fused multiply-add where the formula has one), so their results
 *   are bit-identical.</li>
 *   <li>{@link #max} and {@link #argmax} are exact and identical in both twins, including NaN,
 *   −0/+0 and ties.</li>
 *   <li>Reductions ({@link #dot}, {@link #sum}, {@link #sumSquares}) accumulate in four vector
 *   accumulators, so the SIMD variant sums in a different order from the scalar one; each differs
 *   from the exact sum by at most {@code n·2⁻²⁴·Σ|terms|} (to first order), so the two agree within
 *   {@code n·2⁻²³·Σ|terms|} as long as nothing overflows.</li>
 * </ul>
 *
 * <p>The SIMD kernels follow one shape: a main loop over whole vectors up to
 * {@code FLOATS.loopBound(n)} (unrolled four times with separate accumulators for reductions), then a
 * scalar tail; no masked loads or stores.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> S = Simd.FLOATS;
    private static final int L = Simd.LANES;

    private VectorMath() {
    }

    /** {@code y += α·x}. x: n, not modified; y: n, modified. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) axpySimd(n, alpha, x, xOff, y, yOff); else axpyScalar(n, alpha, x, xOff, y, yOff);
    }

    public static void axpySimd(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            // y = fma(α, x, y)
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            xv.fma(a, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) { // scalar tail
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    /** As {@link #axpySimd}, one fused multiply-add per element ({@code y = fma(α, x, y)}). */
    public static void axpyScalar(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    /** {@code x *= α}. x: n, modified. */
    public static void scale(int n, float alpha, float[] x, int xOff) {
        if (Simd.ENABLED) scaleSimd(n, alpha, x, xOff); else scaleScalar(n, alpha, x, xOff);
    }

    public static void scaleSimd(int n, float alpha, float[] x, int xOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        for (; i < n; i++) { // scalar tail
            x[xOff + i] *= alpha;
        }
    }

    public static void scaleScalar(int n, float alpha, float[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    /** {@code z = x + y}. x, y: n, not modified; z: n, written. */
    public static void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (Simd.ENABLED) addSimd(n, x, xOff, y, yOff, z, zOff); else addScalar(n, x, xOff, y, yOff, z, zOff);
    }

    public static void addSimd(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).add(FloatVector.fromArray(S, y, yOff + i)).intoArray(z, zOff + i);
        }
        for (; i < n; i++) { // scalar tail
            z[zOff + i] = x[xOff + i] + y[yOff + i];
        }
    }

    public static void addScalar(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] + y[yOff + i];
        }
    }

    /** {@code z = x − y}. x, y: n, not modified; z: n, written. */
    public static void sub(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (Simd.ENABLED) subSimd(n, x, xOff, y, yOff, z, zOff); else subScalar(n, x, xOff, y, yOff, z, zOff);
    }

    public static void subSimd(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).sub(FloatVector.fromArray(S, y, yOff + i)).intoArray(z, zOff + i);
        }
        for (; i < n; i++) { // scalar tail
            z[zOff + i] = x[xOff + i] - y[yOff + i];
        }
    }

    public static void subScalar(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] - y[yOff + i];
        }
    }

    /** {@code z = x ⊙ y} (elementwise). x, y: n, not modified; z: n, written. */
    public static void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (Simd.ENABLED) mulSimd(n, x, xOff, y, yOff, z, zOff); else mulScalar(n, x, xOff, y, yOff, z, zOff);
    }

    public static void mulSimd(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(FloatVector.fromArray(S, y, yOff + i)).intoArray(z, zOff + i);
        }
        for (; i < n; i++) { // scalar tail
            z[zOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    public static void mulScalar(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    /** {@code z += x ⊙ y} (elementwise fused multiply-add). x, y: n, not modified; z: n, modified. */
    public static void addMul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (Simd.ENABLED) addMulSimd(n, x, xOff, y, yOff, z, zOff); else addMulScalar(n, x, xOff, y, yOff, z, zOff);
    }

    public static void addMulSimd(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            xv.fma(FloatVector.fromArray(S, y, yOff + i), FloatVector.fromArray(S, z, zOff + i)).intoArray(z, zOff + i);
        }
        for (; i < n; i++) { // scalar tail
            z[zOff + i] = Math.fma(x[xOff + i], y[yOff + i], z[zOff + i]);
        }
    }

    public static void addMulScalar(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) {
            z[zOff + i] = Math.fma(x[xOff + i], y[yOff + i], z[zOff + i]);
        }
    }

    /** {@code Σ xᵢ·yᵢ}. x, y: n, not modified. */
    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        return Simd.ENABLED ? dotSimd(n, x, xOff, y, yOff) : dotScalar(n, x, xOff, y, yOff);
    }

    public static float dotSimd(int n, float[] x, int xOff, float[] y, int yOff) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound4 = n - 4 * L; i <= bound4; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
            s1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), s1);
            s2 = FloatVector.fromArray(S, x, xOff + i + 2 * L).fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, x, xOff + i + 3 * L).fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), s3);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
        }
        float s = Simd.sum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) { // scalar tail
            s = Math.fma(x[xOff + i], y[yOff + i], s);
        }
        return s;
    }

    public static float dotScalar(int n, float[] x, int xOff, float[] y, int yOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s = Math.fma(x[xOff + i], y[yOff + i], s);
        }
        return s;
    }

    /** {@code Σ xᵢ}. x: n, not modified. */
    public static float sum(int n, float[] x, int xOff) {
        return Simd.ENABLED ? sumSimd(n, x, xOff) : sumScalar(n, x, xOff);
    }

    public static float sumSimd(int n, float[] x, int xOff) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound4 = n - 4 * L; i <= bound4; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(S, x, xOff + i));
            s1 = s1.add(FloatVector.fromArray(S, x, xOff + i + L));
            s2 = s2.add(FloatVector.fromArray(S, x, xOff + i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(S, x, xOff + i + 3 * L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            s0 = s0.add(FloatVector.fromArray(S, x, xOff + i));
        }
        float s = Simd.sum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) { // scalar tail
            s += x[xOff + i];
        }
        return s;
    }

    public static float sumScalar(int n, float[] x, int xOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    /** {@code Σ xᵢ²} (the squared Euclidean norm). x: n, not modified. */
    public static float sumSquares(int n, float[] x, int xOff) {
        return Simd.ENABLED ? sumSquaresSimd(n, x, xOff) : sumSquaresScalar(n, x, xOff);
    }

    public static float sumSquaresSimd(int n, float[] x, int xOff) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound4 = n - 4 * L; i <= bound4; i += 4 * L) {
            FloatVector v0 = FloatVector.fromArray(S, x, xOff + i);
            FloatVector v1 = FloatVector.fromArray(S, x, xOff + i + L);
            FloatVector v2 = FloatVector.fromArray(S, x, xOff + i + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, x, xOff + i + 3 * L);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            s0 = v.fma(v, s0);
        }
        float s = Simd.sum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) { // scalar tail
            s = Math.fma(x[xOff + i], x[xOff + i], s);
        }
        return s;
    }

    public static float sumSquaresScalar(int n, float[] x, int xOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s = Math.fma(x[xOff + i], x[xOff + i], s);
        }
        return s;
    }

    /** {@code max xᵢ}; NaN if any element is NaN; −∞ when n = 0. x: n, not modified. */
    public static float max(int n, float[] x, int xOff) {
        return Simd.ENABLED ? maxSimd(n, x, xOff) : maxScalar(n, x, xOff);
    }

    public static float maxSimd(int n, float[] x, int xOff) {
        // lanewise and reduced MAX follow Math.max: NaN wins, +0 > −0
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), m1 = m0;
        int i = 0;
        for (int bound2 = n - 2 * L; i <= bound2; i += 2 * L) {
            m0 = m0.max(FloatVector.fromArray(S, x, xOff + i));
            m1 = m1.max(FloatVector.fromArray(S, x, xOff + i + L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            m0 = m0.max(FloatVector.fromArray(S, x, xOff + i));
        }
        float m = m0.max(m1).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) { // scalar tail
            m = Math.max(m, x[xOff + i]);
        }
        return m;
    }

    public static float maxScalar(int n, float[] x, int xOff) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[xOff + i]);
        }
        return m;
    }

    /**
     * The index (0…n-1, relative to {@code xOff}) of the first largest element; the first NaN if
     * there is one; −1 when n = 0. x: n, not modified.
     */
    public static int argmax(int n, float[] x, int xOff) {
        return Simd.ENABLED ? argmaxSimd(n, x, xOff) : argmaxScalar(n, x, xOff);
    }

    public static int argmaxSimd(int n, float[] x, int xOff) {
        if (n == 0) {
            return -1;
        }
        float m = maxSimd(n, x, xOff);
        if (Float.isNaN(m)) {
            return firstNaN(n, x, xOff);
        }
        // the first element equal to the maximum (−0 == +0, as the scalar twin's ">" sees them)
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            if (FloatVector.fromArray(S, x, xOff + i).eq(m).anyTrue()) {
                break;
            }
        }
        for (; i < n; i++) { // scalar scan of the vector holding it (or of the tail)
            if (x[xOff + i] == m) {
                return i;
            }
        }
        throw new AssertionError("maximum " + m + " not found");
    }

    private static int firstNaN(int n, float[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(x[xOff + i])) {
                return i;
            }
        }
        throw new AssertionError("NaN not found");
    }

    public static int argmaxScalar(int n, float[] x, int xOff) {
        int best = -1;
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            if (Float.isNaN(v)) {
                return i;
            }
            if (best < 0 || v > m) {
                m = v;
                best = i;
            }
        }
        return best;
    }

    /**
     * {@code y = α·op(A)·x + β·y}: op(A) is m×n (A stored m×n, or n×m when {@code ta} is YES, row
     * stride lda); x: n, not modified; y: m, modified (overwritten when β = 0).
     */
    public static void gemv(Transpose ta, int m, int n, float alpha, float[] a, int aOff, int lda,
                            float[] x, int xOff, float beta, float[] y, int yOff) {
        if (Simd.ENABLED) gemvSimd(ta, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
        else gemvScalar(ta, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    /** Vector API variant of {@link #gemv} (kernels in {@code Gemv}); sums in a different order from the scalar twin. */
    public static void gemvSimd(Transpose ta, int m, int n, float alpha, float[] a, int aOff, int lda,
                                float[] x, int xOff, float beta, float[] y, int yOff) {
        Gemv.simd(ta, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    public static void gemvScalar(Transpose ta, int m, int n, float alpha, float[] a, int aOff, int lda,
                                  float[] x, int xOff, float beta, float[] y, int yOff) {
        for (int i = 0; i < m; i++) {
            float s = 0f;
            for (int j = 0; j < n; j++) {
                float aij = ta == Transpose.NO ? a[aOff + i * lda + j] : a[aOff + j * lda + i];
                s = Math.fma(aij, x[xOff + j], s);
            }
            y[yOff + i] = beta == 0f ? alpha * s : alpha * s + beta * y[yOff + i];
        }
    }

    /**
     * {@code C[i,:] += v} for each of the {@code rows} rows of C (a bias broadcast). C: rows×cols,
     * row stride ldc, modified; v: cols, not modified (it may not overlap C).
     */
    public static void addRowVector(int rows, int cols, float[] v, int vOff, float[] c, int cOff, int ldc) {
        if (Simd.ENABLED) addRowVectorSimd(rows, cols, v, vOff, c, cOff, ldc);
        else addRowVectorScalar(rows, cols, v, vOff, c, cOff, ldc);
    }

    public static void addRowVectorSimd(int rows, int cols, float[] v, int vOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < rows; i++) {
            addSimd(cols, c, cOff + i * ldc, v, vOff, c, cOff + i * ldc);
        }
    }

    public static void addRowVectorScalar(int rows, int cols, float[] v, int vOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < rows; i++) {
            addScalar(cols, c, cOff + i * ldc, v, vOff, c, cOff + i * ldc);
        }
    }

    /**
     * {@code out[j] += Σᵢ A[i,j]} (column sums, e.g. a bias gradient), adding the rows in order
     * i = 0…rows−1 in both twins. A: rows×cols, row stride lda, not modified; out: cols, modified (it
     * may not overlap A).
     */
    public static void addColumnSums(int rows, int cols, float[] a, int aOff, int lda, float[] out, int outOff) {
        if (Simd.ENABLED) addColumnSumsSimd(rows, cols, a, aOff, lda, out, outOff);
        else addColumnSumsScalar(rows, cols, a, aOff, lda, out, outOff);
    }

    public static void addColumnSumsSimd(int rows, int cols, float[] a, int aOff, int lda, float[] out, int outOff) {
        // column blocks of 4 vectors stay in registers while the rows stream past
        int j = 0;
        for (int bound4 = cols - 4 * L; j <= bound4; j += 4 * L) {
            FloatVector s0 = FloatVector.fromArray(S, out, outOff + j);
            FloatVector s1 = FloatVector.fromArray(S, out, outOff + j + L);
            FloatVector s2 = FloatVector.fromArray(S, out, outOff + j + 2 * L);
            FloatVector s3 = FloatVector.fromArray(S, out, outOff + j + 3 * L);
            for (int i = 0, ai = aOff + j; i < rows; i++, ai += lda) {
                s0 = s0.add(FloatVector.fromArray(S, a, ai));
                s1 = s1.add(FloatVector.fromArray(S, a, ai + L));
                s2 = s2.add(FloatVector.fromArray(S, a, ai + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, a, ai + 3 * L));
            }
            s0.intoArray(out, outOff + j);
            s1.intoArray(out, outOff + j + L);
            s2.intoArray(out, outOff + j + 2 * L);
            s3.intoArray(out, outOff + j + 3 * L);
        }
        for (int bound = S.loopBound(cols); j < bound; j += L) {
            FloatVector s = FloatVector.fromArray(S, out, outOff + j);
            for (int i = 0, ai = aOff + j; i < rows; i++, ai += lda) {
                s = s.add(FloatVector.fromArray(S, a, ai));
            }
            s.intoArray(out, outOff + j);
        }
        for (; j < cols; j++) { // scalar tail columns
            float s = out[outOff + j];
            for (int i = 0, ai = aOff + j; i < rows; i++, ai += lda) {
                s += a[ai];
            }
            out[outOff + j] = s;
        }
    }

    public static void addColumnSumsScalar(int rows, int cols, float[] a, int aOff, int lda, float[] out, int outOff) {
        for (int i = 0; i < rows; i++) {
            addScalar(cols, out, outOff, a, aOff + i * lda, out, outOff);
        }
    }
}
