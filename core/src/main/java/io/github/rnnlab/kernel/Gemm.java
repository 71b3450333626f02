package io.github.rnnlab.kernel;

/**
 * General matrix multiply on row-major {@code float[]} storage, the kernel of every recurrent
 * layer: {@code C = α·op(A)·op(B) + β·C}.
 *
 * <p>Shapes: op(A) is m×k, op(B) is k×n, C is m×n. A matrix is given as (array, offset, row stride):
 * element (i, j) of a stored matrix X lives at {@code x[xOff + i·ldx + j]}. When {@code ta} is
 * {@link Transpose#YES}, A is stored k×m; when {@code tb} is {@link Transpose#YES}, B is stored
 * n×k. A and B are not modified. C is modified; with {@code β = 0} it is overwritten and its old
 * contents (even NaN) are ignored, as in BLAS. C must not overlap A or B.
 *
 * <p>{@link #gemm} runs the Vector API kernel unless {@code -Drnnlab.simd=false}; {@link #gemmSimd}
 * and {@link #gemmScalar} name a variant. The overloads taking a {@link WorkerTeam} split C across
 * the team's members.
 */
public final class Gemm {
    private Gemm() {
    }

    /** {@code C = α·op(A)·op(B) + β·C} on the calling thread. See the class comment for shapes. */
    public static void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (Simd.ENABLED) {
            gemmSimd(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            gemmScalar(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** {@code C = α·op(A)·op(B) + β·C} split across {@code team}; {@code team} may be null (one thread). */
    public static void gemm(WorkerTeam team, Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (Simd.ENABLED) {
            gemmSimd(team, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            gemmScalar(team, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** The Vector API kernel split across {@code team} (null: the calling thread alone). */
    public static void gemmSimd(WorkerTeam team, Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        split(team, true, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The scalar twin split across {@code team} (null: the calling thread alone). */
    public static void gemmScalar(WorkerTeam team, Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc) {
        split(team, false, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void split(WorkerTeam team, boolean simd, Transpose ta, Transpose tb, int m, int n, int k,
                              float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        if (team == null || team.size() == 1) {
            if (simd) gemmSimd(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            else gemmScalar(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // Split the rows of C when there are enough, else its columns.
        boolean byRows = m >= 2 * team.size();
        team.run((member, members) -> {
            int mm = m, nn = n, ao = aOff, bo = bOff, co = cOff;
            if (byRows) {
                int i0 = WorkerTeam.begin(m, member, members), i1 = WorkerTeam.end(m, member, members);
                mm = i1 - i0;
                ao = ta == Transpose.NO ? aOff + i0 * lda : aOff + i0;
                co = cOff + i0 * ldc;
            } else {
                int j0 = WorkerTeam.begin(n, member, members), j1 = WorkerTeam.end(n, member, members);
                nn = j1 - j0;
                bo = tb == Transpose.NO ? bOff + j0 : bOff + j0 * ldb;
                co = cOff + j0;
            }
            if (simd) gemmSimd(ta, tb, mm, nn, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            else gemmScalar(ta, tb, mm, nn, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
        });
    }

    /** Vector API variant of {@link #gemm}. */
    public static void gemmSimd(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        // Interim: the register-blocked Vector API kernel replaces this delegation.
        gemmScalar(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Scalar twin of {@link #gemm}: straightforward loops, each C element accumulated in a float in
     * the order p = 0…k-1 (i-p-j order when B is not transposed, so the inner loop is contiguous).
     */
    public static void gemmScalar(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] = 0f;
                }
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
        if (alpha == 0f || k == 0) {
            return;
        }
        boolean aT = ta == Transpose.YES, bT = tb == Transpose.YES;
        if (!bT) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int p = 0; p < k; p++) {
                    float aip = alpha * (aT ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        float aip = aT ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        s += aip * b[bj + p];
                    }
                    c[ci + j] += alpha * s;
                }
            }
        }
    }
}
