package io.github.rnnlab.kernel;

/**
 * Level-1 and level-2 kernels on {@code float[]}: vectors are (array, offset) with {@code n}
 * contiguous elements; matrices are row-major (array, offset, row stride). Each entry point runs the
 * Vector API variant unless {@code -Drnnlab.simd=false}; the {@code ...Simd} and {@code ...Scalar}
 * variants are public so that tests and benchmarks can compare them. Output arrays may be the same
 * array region as an input (in-place) wherever the formula is elementwise.
 *
 * <p>Reductions ({@link #dot}, {@link #sum}, {@link #sumSquares}) accumulate in float lanes, so the
 * SIMD variant sums in a different order from the scalar one; the two agree within
 * {@code n·2⁻²³·Σ|terms|}.
 */
public final class VectorMath {
    private VectorMath() {
    }

    /** {@code y += α·x}. x: n, not modified; y: n, modified. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        if (Simd.ENABLED) axpySimd(n, alpha, x, xOff, y, yOff); else axpyScalar(n, alpha, x, xOff, y, yOff);
    }

    public static void axpySimd(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        axpyScalar(n, alpha, x, xOff, y, yOff);
    }

    public static void axpyScalar(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** {@code x *= α}. x: n, modified. */
    public static void scale(int n, float alpha, float[] x, int xOff) {
        if (Simd.ENABLED) scaleSimd(n, alpha, x, xOff); else scaleScalar(n, alpha, x, xOff);
    }

    public static void scaleSimd(int n, float alpha, float[] x, int xOff) {
        scaleScalar(n, alpha, x, xOff);
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
        addScalar(n, x, xOff, y, yOff, z, zOff);
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
        subScalar(n, x, xOff, y, yOff, z, zOff);
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
        mulScalar(n, x, xOff, y, yOff, z, zOff);
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
        addMulScalar(n, x, xOff, y, yOff, z, zOff);
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
        return dotScalar(n, x, xOff, y, yOff);
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
        return sumScalar(n, x, xOff);
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
        return sumSquaresScalar(n, x, xOff);
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
        return maxScalar(n, x, xOff);
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
        return argmaxScalar(n, x, xOff);
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

    /** {@code C[i,:] += v} for each of the {@code rows} rows of C (rows×cols, stride ldc). v: cols, not modified. */
    public static void addRowVector(int rows, int cols, float[] v, int vOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < rows; i++) {
            add(cols, c, cOff + i * ldc, v, vOff, c, cOff + i * ldc);
        }
    }

    /** {@code out += Σᵢ A[i,:]} (column sums, e.g. a bias gradient). A: rows×cols, stride lda, not modified; out: cols, modified. */
    public static void addColumnSums(int rows, int cols, float[] a, int aOff, int lda, float[] out, int outOff) {
        for (int i = 0; i < rows; i++) {
            add(cols, out, outOff, a, aOff + i * lda, out, outOff);
        }
    }
}
