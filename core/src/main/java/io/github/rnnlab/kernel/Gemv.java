package io.github.rnnlab.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API matrix-vector product behind {@link VectorMath#gemvSimd} (and the one- and two-row
 * GEMMs of {@link GemmSimd}): {@code y = α·op(A)·x + β·y}, op(A) m×n, A row-major with stride lda.
 *
 * <ul>
 *   <li>op(A) = A (A stored m×n): {@code yᵢ = α·Σⱼ A[i,j]·xⱼ + β·yᵢ}, four rows at a time, each a dot
 *       product accumulated in vector lanes along the row, reduced once per row; scalar tail over j.</li>
 *   <li>op(A) = Aᵀ (A stored n×m): {@code yᵢ = α·Σⱼ A[j,i]·xⱼ + β·yᵢ}: y is scaled by β, then
 *       accumulates {@code α·xⱼ·A[j,:]} eight rows of A at a time, in two chains of four (axpy order,
 *       no reduction), then four, then one; scalar tail for the last m mod L entries.</li>
 * </ul>
 * β = 0 overwrites y without reading it. No masked vector operations; no allocation.
 */
final class Gemv {
    private Gemv() {
    }

    private static final VectorSpecies<Float> F = Simd.FLOATS;
    private static final int L = Simd.LANES;
    static void simd(Transpose ta, int m, int n, float alpha, float[] a, int aOff, int lda,
                     float[] x, int xOff, float beta, float[] y, int yOff) {
        if (m == 0) {
            return;
        }
        if (ta == Transpose.NO) {
            rows(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
        } else {
            columns(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
        }
    }

    private static float finish(float alpha, float s, float beta, float old) {
        return beta == 0f ? alpha * s : alpha * s + beta * old;
    }

    /** op(A) = A: dot products of A's rows with x. */
    private static void rows(int m, int n, float alpha, float[] a, int aOff, int lda,
                             float[] x, int xOff, float beta, float[] y, int yOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int r0 = aOff + i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector xj = FloatVector.fromArray(F, x, xOff + j);
                s0 = FloatVector.fromArray(F, a, r0 + j).fma(xj, s0);
                s1 = FloatVector.fromArray(F, a, r1 + j).fma(xj, s1);
                s2 = FloatVector.fromArray(F, a, r2 + j).fma(xj, s2);
                s3 = FloatVector.fromArray(F, a, r3 + j).fma(xj, s3);
            }
            float t0 = Simd.sum(s0), t1 = Simd.sum(s1);
            float t2 = Simd.sum(s2), t3 = Simd.sum(s3);
            for (; j < n; j++) { // scalar tail of the rows
                float xj = x[xOff + j];
                t0 = Math.fma(a[r0 + j], xj, t0);
                t1 = Math.fma(a[r1 + j], xj, t1);
                t2 = Math.fma(a[r2 + j], xj, t2);
                t3 = Math.fma(a[r3 + j], xj, t3);
            }
            y[yOff + i] = finish(alpha, t0, beta, y[yOff + i]);
            y[yOff + i + 1] = finish(alpha, t1, beta, y[yOff + i + 1]);
            y[yOff + i + 2] = finish(alpha, t2, beta, y[yOff + i + 2]);
            y[yOff + i + 3] = finish(alpha, t3, beta, y[yOff + i + 3]);
        }
        for (; i < m; i++) { // the last m mod 4 rows, one at a time
            int r0 = aOff + i * lda;
            FloatVector s0 = FloatVector.zero(F);
            int j = 0;
            for (; j < bound; j += L) {
                s0 = FloatVector.fromArray(F, a, r0 + j).fma(FloatVector.fromArray(F, x, xOff + j), s0);
            }
            float t0 = Simd.sum(s0);
            for (; j < n; j++) {
                t0 = Math.fma(a[r0 + j], x[xOff + j], t0);
            }
            y[yOff + i] = finish(alpha, t0, beta, y[yOff + i]);
        }
    }

    /**
     * op(A) = Aᵀ: y is first scaled by β (zeroed when β = 0), then {@code y += (α·xⱼ)·A[j,:]} for
     * eight rows j of A at a time (two dependency chains of four), each pass streaming eight rows of A
     * contiguously (the hardware prefetchers follow eight sequential streams; a column-block order would
     * jump a page per row).
     */
    private static void columns(int m, int n, float alpha, float[] a, int aOff, int lda,
                                float[] x, int xOff, float beta, float[] y, int yOff) {
        GemmSimd.scale(1, m, beta, y, yOff, m);
        int bound = F.loopBound(m);
        int j = 0;
        for (; j + 8 <= n; j += 8) { // eight rows of A per pass: one load and one store of y per eight FMAs
            float x0 = alpha * x[xOff + j], x1 = alpha * x[xOff + j + 1];
            float x2 = alpha * x[xOff + j + 2], x3 = alpha * x[xOff + j + 3];
            float x4 = alpha * x[xOff + j + 4], x5 = alpha * x[xOff + j + 5];
            float x6 = alpha * x[xOff + j + 6], x7 = alpha * x[xOff + j + 7];
            FloatVector v0 = FloatVector.broadcast(F, x0), v1 = FloatVector.broadcast(F, x1);
            FloatVector v2 = FloatVector.broadcast(F, x2), v3 = FloatVector.broadcast(F, x3);
            FloatVector v4 = FloatVector.broadcast(F, x4), v5 = FloatVector.broadcast(F, x5);
            FloatVector v6 = FloatVector.broadcast(F, x6), v7 = FloatVector.broadcast(F, x7);
            int r0 = aOff + j * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
            int r4 = r3 + lda, r5 = r4 + lda, r6 = r5 + lda, r7 = r6 + lda;
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector acc = FloatVector.fromArray(F, y, yOff + i);
                FloatVector acc2 = FloatVector.fromArray(F, a, r4 + i).mul(v4);
                acc = FloatVector.fromArray(F, a, r0 + i).fma(v0, acc);
                acc2 = FloatVector.fromArray(F, a, r5 + i).fma(v5, acc2);
                acc = FloatVector.fromArray(F, a, r1 + i).fma(v1, acc);
                acc2 = FloatVector.fromArray(F, a, r6 + i).fma(v6, acc2);
                acc = FloatVector.fromArray(F, a, r2 + i).fma(v2, acc);
                acc2 = FloatVector.fromArray(F, a, r7 + i).fma(v7, acc2);
                acc = FloatVector.fromArray(F, a, r3 + i).fma(v3, acc);
                acc.add(acc2).intoArray(y, yOff + i);
            }
            for (; i < m; i++) { // scalar tail of the rows, in the same order as the vector lanes
                float t = y[yOff + i];
                float t2 = a[r4 + i] * x4;
                t = Math.fma(a[r0 + i], x0, t);
                t2 = Math.fma(a[r5 + i], x5, t2);
                t = Math.fma(a[r1 + i], x1, t);
                t2 = Math.fma(a[r6 + i], x6, t2);
                t = Math.fma(a[r2 + i], x2, t);
                t2 = Math.fma(a[r7 + i], x7, t2);
                t = Math.fma(a[r3 + i], x3, t);
                y[yOff + i] = t + t2;
            }
        }
        for (; j + 4 <= n; j += 4) {
            float x0 = alpha * x[xOff + j], x1 = alpha * x[xOff + j + 1];
            float x2 = alpha * x[xOff + j + 2], x3 = alpha * x[xOff + j + 3];
            FloatVector v0 = FloatVector.broadcast(F, x0), v1 = FloatVector.broadcast(F, x1);
            FloatVector v2 = FloatVector.broadcast(F, x2), v3 = FloatVector.broadcast(F, x3);
            int r0 = aOff + j * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector acc = FloatVector.fromArray(F, y, yOff + i);
                acc = FloatVector.fromArray(F, a, r0 + i).fma(v0, acc);
                acc = FloatVector.fromArray(F, a, r1 + i).fma(v1, acc);
                acc = FloatVector.fromArray(F, a, r2 + i).fma(v2, acc);
                acc = FloatVector.fromArray(F, a, r3 + i).fma(v3, acc);
                acc.intoArray(y, yOff + i);
            }
            for (; i < m; i++) { // scalar tail of the rows
                float t = y[yOff + i];
                t = Math.fma(a[r0 + i], x0, t);
                t = Math.fma(a[r1 + i], x1, t);
                t = Math.fma(a[r2 + i], x2, t);
                t = Math.fma(a[r3 + i], x3, t);
                y[yOff + i] = t;
            }
        }
        for (; j < n; j++) { // the last n mod 4 rows of A, one at a time
            float xj = alpha * x[xOff + j];
            FloatVector vj = FloatVector.broadcast(F, xj);
            int r0 = aOff + j * lda;
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector.fromArray(F, a, r0 + i).fma(vj, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
            }
            for (; i < m; i++) {
                y[yOff + i] = Math.fma(a[r0 + i], xj, y[yOff + i]);
            }
        }
    }
}
