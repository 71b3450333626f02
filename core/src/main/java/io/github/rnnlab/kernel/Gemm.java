package io.github.rnnlab.kernel;

import io.github.rnnlab.ShapeException;

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

    /**
     * The Vector API kernel split across {@code team} (null: the calling thread alone). The split is
     * described in {@link #gemmScalar(WorkerTeam, Transpose, Transpose, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)}.
     */
    public static void gemmSimd(WorkerTeam team, Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        check(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        split(team, true, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The scalar twin split across {@code team} (null: the calling thread alone). Each member computes
     * a block of C on its own: a block of columns or of rows, whichever makes the members repeat less
     * packing work (see {@code byColumns}); block edges fall on whole micro-tiles of the SIMD kernel. Products too small to pay for a fork-join run on the caller.
     * Allocation-free: the team runs a per-thread reusable job object, not a lambda.
     */
    public static void gemmScalar(WorkerTeam team, Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc) {
        check(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        split(team, false, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Below this many multiply-adds (m·n·k) a team-split GEMM runs on the caller alone. */
    static final long SPLIT_MIN_WORK = 1L << 15;

    private static void split(WorkerTeam team, boolean simd, Transpose ta, Transpose tb, int m, int n, int k,
                              float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        if (team == null || team.size() == 1 || (long) m * n * Math.max(k, 1) < SPLIT_MIN_WORK) {
            if (simd) GemmSimd.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            else scalar(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Job job = JOBS.get();
        job.set(simd, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        try {
            team.run(job);
        } finally {
            job.clear();
        }
    }

    /** The reusable task of a team-split GEMM: one per calling thread, so a call allocates nothing. */
    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    private static final class Job implements WorkerTeam.Task {
        private boolean simd;
        private Transpose ta, tb;
        private int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        private float alpha, beta;
        private float[] a, b, c;

        void set(boolean simd, Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
            this.simd = simd;
            this.ta = ta;
            this.tb = tb;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        /** Drops the array references so that the job does not keep the caller's matrices alive. */
        void clear() {
            a = b = c = null;
        }

        @Override
        public void run(int member, int members) {
            int mm = m, nn = n, ao = aOff, bo = bOff, co = cOff;
            if (byColumns(m, n, k, tb, members)) { // each member packs only its share of op(B)
                int j0 = WorkerTeam.begin(n, GemmSimd.NR, member, members), j1 = WorkerTeam.begin(n, GemmSimd.NR, member + 1, members);
                nn = j1 - j0;
                bo = tb == Transpose.NO ? bOff + j0 : bOff + j0 * ldb;
                co = cOff + j0;
            } else {
                int i0 = WorkerTeam.begin(m, GemmSimd.MR, member, members), i1 = WorkerTeam.begin(m, GemmSimd.MR, member + 1, members);
                mm = i1 - i0;
                ao = ta == Transpose.NO ? aOff + i0 * lda : aOff + i0;
                co = cOff + i0 * ldc;
            }
            if (mm == 0 || nn == 0) {
                return;
            }
            boolean asGemv = m <= GemmSimd.SMALL_M; // the whole product's path, not the share's
            if (simd) GemmSimd.gemm(asGemv, ta, tb, mm, nn, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            else scalar(ta, tb, mm, nn, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
        }
    }

    /**
     * Whether a team splits C by columns (each member then packs all of op(A) and its share of
     * op(B)) rather than by rows (all of op(B), its share of op(A)): whichever repeats the cheaper
     * packing. Packing B without transposing is a vector copy, about four times cheaper per element
     * than the scalar packing of A or of a transposed B. Products of one or two rows, and products
     * with too few rows for every member to get a 12-row panel, always split by columns.
     */
    static boolean byColumns(int m, int n, int k, Transpose tb, int members) {
        if (m <= GemmSimd.SMALL_M || m < members * GemmSimd.MR) {
            return true;
        }
        double repeatA = (double) m * k, repeatB = (double) k * n * (tb == Transpose.NO ? 0.25 : 1);
        return repeatA <= repeatB;
    }

    /** Vector API variant of {@link #gemm}: packed, cache-blocked, register-blocked FMA micro-kernels (see {@code GemmSimd}). */
    public static void gemmSimd(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        check(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        GemmSimd.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Checks shapes and that every region the product reads or writes lies inside its array: A
     * (m×k, or k×m stored when transposed) and B (k×n, or n×k) only when k > 0 and α ≠ 0, C when
     * m, n > 0. A row stride must be at least the stored width.
     *
     * @throws ShapeException naming the argument, what was expected and what arrived
     */
    static void check(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new ShapeException("gemm dimensions: expected m, n, k >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        region("gemm C", c, cOff, ldc, m, n);
        if (k == 0 || alpha == 0f) {
            return;
        }
        if (ta == Transpose.NO) region("gemm A", a, aOff, lda, m, k);
        else region("gemm A (transposed)", a, aOff, lda, k, m);
        if (tb == Transpose.NO) region("gemm B", b, bOff, ldb, k, n);
        else region("gemm B (transposed)", b, bOff, ldb, n, k);
    }

    /** Checks a stored rows×cols matrix named {@code what} (also for {@link PackedGemm}). */
    static void region(String what, float[] x, int off, int ld, int rows, int cols) {
        if (x == null) {
            throw new ShapeException(what + ": expected an array of " + rows + "×" + cols + ", got null");
        }
        if (ld < cols) {
            throw new ShapeException(what + " row stride: expected at least " + cols + ", got " + ld);
        }
        long size = (long) (rows - 1) * ld + cols;
        if (off < 0 || off + size > x.length) { // the message is built only on failure: no allocation per call
            ShapeException.checkRegion(what + " (" + rows + "×" + cols + ", stride " + ld + ")", x.length, off, size);
        }
    }

    /**
     * Scalar twin of {@link #gemm}: straightforward loops, each C element accumulated in a float in
     * the order p = 0…k-1 (i-p-j order when B is not transposed, so the inner loop is contiguous).
     */
    public static void gemmScalar(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc) {
        check(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        scalar(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void scalar(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
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
