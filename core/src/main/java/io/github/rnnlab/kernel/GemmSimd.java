package io.github.rnnlab.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The Vector API GEMM behind {@link Gemm#gemmSimd}: {@code C = α·op(A)·op(B) + β·C} on one thread,
 * blocked for the caches as in Goto and van de Geijn, "Anatomy of high-performance matrix
 * multiplication" (ACM TOMS 34(3), 2008) and BLIS.
 *
 * <p>Loops, outermost first: column blocks of C of {@link #NC} columns; depth blocks of at most {@link #KC}
 * (op(B)'s block is packed into slivers of {@link #NR} = 2 vectors of columns, each [kc][NR], so a
 * sliver sits in L1); row blocks of {@link #MC} rows (op(A)'s block is packed, times α, into panels
 * of 12, 8 or 4 rows, each [kc][rows], in L2); then every sliver × panel pair runs a register-blocked
 * micro-kernel: {@code rows × 2} vector accumulators, one broadcast of A and two FMAs per row and step.
 * C is first scaled by β (zeroed when β = 0, so NaN in it is ignored); each micro-kernel then adds its
 * tile into C. Edge tiles (fewer rows or columns than a full tile) run the same kernel on zero-padded
 * panels into a small scratch tile, whose valid part is added to C by scalar code, so there are no
 * masked vector operations. One or two rows of C (m ≤ {@link #SMALL_M}) skip packing and run as
 * matrix-vector products ({@link Gemv}).
 *
 * <p>Why every kernel only accumulates ({@code C += tile}) and α is folded into packing: a kernel
 * with several store variants is too large for C1 on JDK 17 ("out of virtual registers"), and a
 * method C1 cannot compile can get stuck in slow tier-2 code forever; the one-variant kernels compile
 * at every tier.
 *
 * <p>Scratch: each thread packs into its own buffers ({@link Scratch}, held in a {@link ThreadLocal}).
 * The single-threaded entry point has no team to own buffers, and a team's member threads are
 * ordinary threads, so a per-thread buffer serves both without locking; the buffers grow to the
 * largest block used (at most {@code KC·(NC + MC + 12)} floats, about 0.9 MB) and are reused by every
 * later call, so steady-state calls allocate nothing. Their contents never outlive a call, so they
 * are not observable state.
 */
final class GemmSimd {
    private GemmSimd() {
    }

    static final VectorSpecies<Float> F = Simd.FLOATS;
    static final int L = Simd.LANES;
    /** Columns of a micro-tile: two vectors. */
    static final int NR = 2 * L;
    /** Rows of the main micro-kernel: 12 (24 accumulators) with 32 vector registers, 6 with fewer lanes. */
    static final int MR = L >= 16 ? 12 : 6;
    /**
     * Largest depth of a packed block: a [KC][NR] sliver of B (24 KB with 16 lanes) and a [KC][12]
     * panel of A (9 KB) share L1 (48 KB here). k is cut into equal blocks of at most KC (k = 256 runs
     * as 2 × 128, not 192 + 64); 256-deep blocks measured a few percent slower on 64×256·256×1024.
     */
    static final int KC = 192;
    /** Rows of a packed block of A ([MC][KC], 144 KB with 16 lanes: stays in L2). */
    static final int MC = 16 * MR;
    /** Columns of a packed block of B ([KC][NC], 768 KB: stays in L2, 2 MB here). */
    static final int NC = Math.max(NR, 1024 / NR * NR);
    /** At most this many rows of C run as matrix-vector products, without packing. */
    static final int SMALL_M = 2;

    /** A thread's packing buffers. */
    static final class Scratch {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        float[] row = new float[0];
        final float[] tile = new float[12 * NR];
        /** Gather offsets of a 12-row panel's rows for row stride {@link #panelRowsLd}: r·lda, then 0, 0, 0, 0. */
        final int[] panelRows = new int[L];
        int panelRowsLd = -1;

        int[] panelRows(int lda) {
            if (panelRowsLd != lda) {
                for (int r = 0; r < L; r++) {
                    panelRows[r] = r < MR ? r * lda : 0;
                }
                panelRowsLd = lda;
            }
            return panelRows;
        }

        float[] packedA(int size) {
            if (packedA.length < size) packedA = new float[size];
            return packedA;
        }

        float[] packedB(int size) {
            if (packedB.length < size) packedB = new float[size];
            return packedB;
        }

        float[] row(int size) {
            if (row.length < size) row = new float[size];
            return row;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** {@code C = α·op(A)·op(B) + β·C}; arguments as in {@link Gemm}, already checked. */
    static void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        gemm(m <= SMALL_M, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * As above, with the choice between the matrix-vector path and the packed path made by the
     * caller: a team member computing some rows of a larger product must take the path the whole
     * product would take, so that every element is computed with the same operations in the same
     * order whatever the split (team-split results equal single-threaded ones exactly).
     */
    static void gemm(boolean asGemv, Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (alpha == 0f || k == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        Scratch s = SCRATCH.get();
        if (asGemv) {
            rowsAsGemv(s, ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        scale(m, n, beta, c, cOff, ldc);
        boolean aT = ta == Transpose.YES, bT = tb == Transpose.YES;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int ncPadded = (nc + NR - 1) / NR * NR;
            int kStep = (k + (k + KC - 1) / KC - 1) / ((k + KC - 1) / KC); // ⌈k / ⌈k/KC⌉⌉
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                float[] bp = s.packedB(kc * ncPadded);
                if (bT) packTransposedB(kc, nc, b, bOff + jc * ldb + pc, ldb, bp);
                else packB(kc, nc, b, bOff + pc * ldb + jc, ldb, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    float[] ap = s.packedA(kc * (mc + 12));
                    if (aT) packTransposedA(kc, mc, alpha, a, aOff + pc * lda + ic, lda, ap);
                    else packA(kc, mc, alpha, a, aOff + ic * lda + pc, lda, ap);
                    int cBlock = cOff + ic * ldc + jc;
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bpOff = jr * kc;
                        int apOff = 0;
                        for (int ir = 0; ir < mc; ) {
                            int h = panelHeight(mc - ir), v = Math.min(h, mc - ir);
                            int co = cBlock + ir * ldc + jr;
                            if (v == h && nr == NR) {
                                kernel(h, kc, ap, apOff, bp, bpOff, c, co, ldc);
                            } else {
                                edgeTile(h, v, nr, kc, ap, apOff, bp, bpOff, c, co, ldc, s.tile);
                            }
                            ir += v;
                            apOff += h * kc;
                        }
                    }
                }
            }
        }
    }

    /** The height of the next packed panel of A when {@code rowsLeft} rows remain (zero-padded if larger). */
    static int panelHeight(int rowsLeft) {
        if (MR == 12) {
            return rowsLeft > 8 ? 12 : rowsLeft > 4 ? 8 : 4;
        }
        return rowsLeft > 4 ? 6 : 4;
    }

    /** {@code C = β·C} (C: m×n, stride ldc); β = 0 writes zeros without reading C. */
    static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        int bound = F.loopBound(n);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, ci, ci + n, 0f);
                continue;
            }
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(F, c, ci + j).mul(beta).intoArray(c, ci + j);
            }
            for (; j < n; j++) { // scalar tail
                c[ci + j] *= beta;
            }
        }
    }

    /** m ≤ SMALL_M: each row of C is a matrix-vector product with op(B), no packing. */
    private static void rowsAsGemv(Scratch s, Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            float[] x = a;
            int xOff = aOff + i * lda;
            if (ta == Transpose.YES) { // row i of op(A) is column i of A: gather it
                x = s.row(k);
                xOff = 0;
                for (int p = 0; p < k; p++) {
                    x[p] = a[aOff + p * lda + i];
                }
            }
            // C[i,:] = α·op(B)ᵀ·x + β·C[i,:]; B stored k×n is op = YES for gemv, n×k is NO.
            Gemv.simd(tb == Transpose.NO ? Transpose.YES : Transpose.NO, n, k, alpha, b, bOff, ldb,
                    x, xOff, beta, c, cOff + i * ldc);
        }
    }

    /**
     * Interleaves {@code rows} rows of a row-major matrix into a panel laid out [kc][stride]:
     * {@code dst[dstOff + p·stride + r] = α·src[srcOff + r·ld + p]} for r < rows and p < kc, and 0 for
     * rows ≤ r < width (the padding of a short panel). Four rows are read in step, so four adjacent
     * floats are written together. The packing of A panels and of transposed B slivers, in
     * {@link GemmSimd} and {@link PackedGemm}.
     */
    static void interleaveRows(int kc, int rows, int width, int stride, float alpha, float[] src, int srcOff, int ld,
                               float[] dst, int dstOff) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int r0 = srcOff + r * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
            for (int p = 0, d = dstOff + r; p < kc; p++, d += stride) {
                dst[d] = alpha * src[r0 + p];
                dst[d + 1] = alpha * src[r1 + p];
                dst[d + 2] = alpha * src[r2 + p];
                dst[d + 3] = alpha * src[r3 + p];
            }
        }
        for (; r < rows; r++) {
            int row = srcOff + r * ld;
            for (int p = 0, d = dstOff + r; p < kc; p++, d += stride) {
                dst[d] = alpha * src[row + p];
            }
        }
        for (; r < width; r++) {
            for (int p = 0, d = dstOff + r; p < kc; p++, d += stride) {
                dst[d] = 0f;
            }
        }
    }

    /**
     * Packs B[0:kc, 0:nc] (stored row-major at {@code src}, stride ldb) into slivers of NR columns,
     * sliver s at {@code s·NR·kc}, laid out [kc][NR]; columns past nc are zero.
     */
    static void packB(int kc, int nc, float[] b, int src, int ldb, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), o = jr * kc, row = src + jr;
            if (nr == NR) {
                for (int p = 0; p < kc; p++, row += ldb, o += NR) {
                    FloatVector.fromArray(F, b, row).intoArray(bp, o);
                    FloatVector.fromArray(F, b, row + L).intoArray(bp, o + L);
                }
            } else {
                for (int p = 0; p < kc; p++, row += ldb, o += NR) {
                    System.arraycopy(b, row, bp, o, nr);
                    Arrays.fill(bp, o + nr, o + NR, 0f);
                }
            }
        }
    }

    /**
     * Packs op(B) = Bᵀ for B stored nc×kc at {@code src} (stride ldb): the same slivers as
     * {@link #packB}, element (p, j) taken from {@code b[src + j·ldb + p]}.
     */
    static void packTransposedB(int kc, int nc, float[] b, int src, int ldb, float[] bp) {
        packTransposedB(kc, nc, b, src, ldb, bp, 0);
    }

    /**
     * {@link #packTransposedB(int, int, float[], int, int, float[])} into {@code bp} from {@code bpOff}
     * (sliver s at {@code bpOff + s·NR·kc}); also {@link PackedGemm}'s packing of a transposed operand,
     * whose depth blocks hold the same slivers.
     */
    static void packTransposedB(int kc, int nc, float[] b, int src, int ldb, float[] bp, int bpOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), o = bpOff + jr * kc, jj = 0;
            if (TRANSPOSE16) { // 16 columns × 16 steps at a time, transposed in registers
                int pEnd = kc & ~15;
                for (; jj + 16 <= nr; jj += 16) {
                    int row = src + (jr + jj) * ldb;
                    for (int p = 0; p < pEnd; p += 16) {
                        transpose16(b, row + p, ldb, bp, o + p * NR + jj);
                    }
                    for (int r = 0; r < 16; r++) { // scalar tail: the last kc mod 16 steps
                        for (int p = pEnd, d = o + pEnd * NR + jj + r; p < kc; p++, d += NR) {
                            bp[d] = b[row + r * ldb + p];
                        }
                    }
                }
            }
            // the remaining columns of the sliver (rows of B), then the zero columns past nc
            interleaveRows(kc, nr - jj, NR - jj, NR, 1f, b, src + (jr + jj) * ldb, ldb, bp, o + jj);
        }
    }

    /** Whether {@link #transpose16} applies (16 float lanes: AVX-512). */
    private static final boolean TRANSPOSE16 = L == 16;
    /** Lane rotations by ±8, ±4, ±2, ±1 and the masks of lanes whose index has bit 8, 4, 2, 1 set (16 lanes). */
    private static final VectorShuffle<Float> UP8 = rotation(-8), DN8 = rotation(8), UP4 = rotation(-4), DN4 = rotation(4),
            UP2 = rotation(-2), DN2 = rotation(2), UP1 = rotation(-1), DN1 = rotation(1);
    private static final VectorMask<Float> HI8 = lanes(0xFF00), LO8 = lanes(0x00FF), HI4 = lanes(0xF0F0), LO4 = lanes(0x0F0F),
            HI2 = lanes(0xCCCC), LO2 = lanes(0x3333), HI1 = lanes(0xAAAA), LO1 = lanes(0x5555);

    private static VectorShuffle<Float> rotation(int by) {
        return VectorShuffle.fromOp(F, j -> Math.floorMod(j + by, L));
    }

    private static VectorMask<Float> lanes(long bits) {
        return VectorMask.fromLong(F, bits);
    }

    /**
     * Copies the transpose of the 16×16 block of b at {@code src} (row stride ldb) into bp at
     * {@code dst} (row stride NR): {@code bp[dst + q·NR + r] = b[src + r·ldb + q]}. Four butterfly
     * stages: at stage d, rows r and r+d swap their off-diagonal d-lane halves (one lane rotation and
     * one blend each), so after d = 8, 4, 2, 1 row q holds column q.
     */
    private static void transpose16(float[] b, int src, int ldb, float[] bp, int dst) {
        FloatVector v0 = FloatVector.fromArray(F, b, src), v1 = FloatVector.fromArray(F, b, src + ldb),
                v2 = FloatVector.fromArray(F, b, src + 2 * ldb), v3 = FloatVector.fromArray(F, b, src + 3 * ldb),
                v4 = FloatVector.fromArray(F, b, src + 4 * ldb), v5 = FloatVector.fromArray(F, b, src + 5 * ldb),
                v6 = FloatVector.fromArray(F, b, src + 6 * ldb), v7 = FloatVector.fromArray(F, b, src + 7 * ldb),
                v8 = FloatVector.fromArray(F, b, src + 8 * ldb), v9 = FloatVector.fromArray(F, b, src + 9 * ldb),
                v10 = FloatVector.fromArray(F, b, src + 10 * ldb), v11 = FloatVector.fromArray(F, b, src + 11 * ldb),
                v12 = FloatVector.fromArray(F, b, src + 12 * ldb), v13 = FloatVector.fromArray(F, b, src + 13 * ldb),
                v14 = FloatVector.fromArray(F, b, src + 14 * ldb), v15 = FloatVector.fromArray(F, b, src + 15 * ldb);
        FloatVector t;
        // d = 8: rows r, r+8
        t = v0.blend(v8.rearrange(UP8), HI8); v8 = v8.blend(v0.rearrange(DN8), LO8); v0 = t;
        t = v1.blend(v9.rearrange(UP8), HI8); v9 = v9.blend(v1.rearrange(DN8), LO8); v1 = t;
        t = v2.blend(v10.rearrange(UP8), HI8); v10 = v10.blend(v2.rearrange(DN8), LO8); v2 = t;
        t = v3.blend(v11.rearrange(UP8), HI8); v11 = v11.blend(v3.rearrange(DN8), LO8); v3 = t;
        t = v4.blend(v12.rearrange(UP8), HI8); v12 = v12.blend(v4.rearrange(DN8), LO8); v4 = t;
        t = v5.blend(v13.rearrange(UP8), HI8); v13 = v13.blend(v5.rearrange(DN8), LO8); v5 = t;
        t = v6.blend(v14.rearrange(UP8), HI8); v14 = v14.blend(v6.rearrange(DN8), LO8); v6 = t;
        t = v7.blend(v15.rearrange(UP8), HI8); v15 = v15.blend(v7.rearrange(DN8), LO8); v7 = t;
        // d = 4: rows r, r+4
        t = v0.blend(v4.rearrange(UP4), HI4); v4 = v4.blend(v0.rearrange(DN4), LO4); v0 = t;
        t = v1.blend(v5.rearrange(UP4), HI4); v5 = v5.blend(v1.rearrange(DN4), LO4); v1 = t;
        t = v2.blend(v6.rearrange(UP4), HI4); v6 = v6.blend(v2.rearrange(DN4), LO4); v2 = t;
        t = v3.blend(v7.rearrange(UP4), HI4); v7 = v7.blend(v3.rearrange(DN4), LO4); v3 = t;
        t = v8.blend(v12.rearrange(UP4), HI4); v12 = v12.blend(v8.rearrange(DN4), LO4); v8 = t;
        t = v9.blend(v13.rearrange(UP4), HI4); v13 = v13.blend(v9.rearrange(DN4), LO4); v9 = t;
        t = v10.blend(v14.rearrange(UP4), HI4); v14 = v14.blend(v10.rearrange(DN4), LO4); v10 = t;
        t = v11.blend(v15.rearrange(UP4), HI4); v15 = v15.blend(v11.rearrange(DN4), LO4); v11 = t;
        // d = 2: rows r, r+2
        t = v0.blend(v2.rearrange(UP2), HI2); v2 = v2.blend(v0.rearrange(DN2), LO2); v0 = t;
        t = v1.blend(v3.rearrange(UP2), HI2); v3 = v3.blend(v1.rearrange(DN2), LO2); v1 = t;
        t = v4.blend(v6.rearrange(UP2), HI2); v6 = v6.blend(v4.rearrange(DN2), LO2); v4 = t;
        t = v5.blend(v7.rearrange(UP2), HI2); v7 = v7.blend(v5.rearrange(DN2), LO2); v5 = t;
        t = v8.blend(v10.rearrange(UP2), HI2); v10 = v10.blend(v8.rearrange(DN2), LO2); v8 = t;
        t = v9.blend(v11.rearrange(UP2), HI2); v11 = v11.blend(v9.rearrange(DN2), LO2); v9 = t;
        t = v12.blend(v14.rearrange(UP2), HI2); v14 = v14.blend(v12.rearrange(DN2), LO2); v12 = t;
        t = v13.blend(v15.rearrange(UP2), HI2); v15 = v15.blend(v13.rearrange(DN2), LO2); v13 = t;
        // d = 1: rows r, r+1
        t = v0.blend(v1.rearrange(UP1), HI1); v1 = v1.blend(v0.rearrange(DN1), LO1); v0 = t;
        t = v2.blend(v3.rearrange(UP1), HI1); v3 = v3.blend(v2.rearrange(DN1), LO1); v2 = t;
        t = v4.blend(v5.rearrange(UP1), HI1); v5 = v5.blend(v4.rearrange(DN1), LO1); v4 = t;
        t = v6.blend(v7.rearrange(UP1), HI1); v7 = v7.blend(v6.rearrange(DN1), LO1); v6 = t;
        t = v8.blend(v9.rearrange(UP1), HI1); v9 = v9.blend(v8.rearrange(DN1), LO1); v8 = t;
        t = v10.blend(v11.rearrange(UP1), HI1); v11 = v11.blend(v10.rearrange(DN1), LO1); v10 = t;
        t = v12.blend(v13.rearrange(UP1), HI1); v13 = v13.blend(v12.rearrange(DN1), LO1); v12 = t;
        t = v14.blend(v15.rearrange(UP1), HI1); v15 = v15.blend(v14.rearrange(DN1), LO1); v14 = t;
        v0.intoArray(bp, dst);
        v1.intoArray(bp, dst + NR);
        v2.intoArray(bp, dst + 2 * NR);
        v3.intoArray(bp, dst + 3 * NR);
        v4.intoArray(bp, dst + 4 * NR);
        v5.intoArray(bp, dst + 5 * NR);
        v6.intoArray(bp, dst + 6 * NR);
        v7.intoArray(bp, dst + 7 * NR);
        v8.intoArray(bp, dst + 8 * NR);
        v9.intoArray(bp, dst + 9 * NR);
        v10.intoArray(bp, dst + 10 * NR);
        v11.intoArray(bp, dst + 11 * NR);
        v12.intoArray(bp, dst + 12 * NR);
        v13.intoArray(bp, dst + 13 * NR);
        v14.intoArray(bp, dst + 14 * NR);
        v15.intoArray(bp, dst + 15 * NR);
    }

    /**
     * Packs α·A[0:mc, 0:kc] (stored row-major at {@code src}, stride lda) into panels of
     * {@link #panelHeight} rows, each laid out [kc][h], one after another; rows past mc are zero.
     */
    static void packA(int kc, int mc, float alpha, float[] a, int src, int lda, float[] ap) {
        int ir = packWholePanels(kc, mc, alpha, a, src, lda, ap), o = ir * kc;
        while (ir < mc) {
            int h = panelHeight(mc - ir), v = Math.min(h, mc - ir);
            interleaveRows(kc, v, h, h, alpha, a, src + ir * lda, lda, ap, o); // rows past mc pad the last panel
            ir += v;
            o += h * kc;
        }
    }

    /**
     * The whole {@link #MR}-row panels of {@link #packA}'s layout (panel i at {@code i·MR·kc}), when they
     * are gathered (16 lanes, 12-row panels; else none); returns the number of rows packed. Per step p,
     * one 16-lane gather of the 12 rows' elements (lanes 12-15 read row 0 again) is stored at the
     * panel's row p; its last four lanes spill into row p + 1, which the next store overwrites, and after
     * the last row into the next panel (which the caller packs next) or the slack of a buffer holding
     * {@code kc·(mc + MR)} floats. Shared with {@link PackedGemm}, whose whole panels are the same.
     */
    static int packWholePanels(int kc, int mc, float alpha, float[] a, int src, int lda, float[] ap) {
        if (!GATHER_PANELS || mc < MR || kc == 0) {
            return 0;
        }
        int[] rows = SCRATCH.get().panelRows(lda);
        int ir = 0;
        for (int o = 0; ir + MR <= mc; ir += MR, o += MR * kc) {
            int row = src + ir * lda;
            if (alpha == 1f) {
                for (int p = 0, d = o; p < kc; p++, d += MR) {
                    FloatVector.fromArray(F, a, row + p, rows, 0).intoArray(ap, d);
                }
            } else {
                for (int p = 0, d = o; p < kc; p++, d += MR) {
                    FloatVector.fromArray(F, a, row + p, rows, 0).mul(alpha).intoArray(ap, d);
                }
            }
        }
        return ir;
    }

    /** Whether {@link #packA} gathers whole panels (16 lanes, 12-row panels). */
    private static final boolean GATHER_PANELS = L == 16 && MR == 12;

    /** As {@link #packA} for op(A) = Aᵀ, A stored kc×mc at {@code src}: element (i, p) at {@code a[src + p·lda + i]}. */
    static void packTransposedA(int kc, int mc, float alpha, float[] a, int src, int lda, float[] ap) {
        int o = 0;
        for (int ir = 0; ir < mc; ) {
            int h = panelHeight(mc - ir), v = Math.min(h, mc - ir);
            for (int p = 0; p < kc; p++) {
                int row = src + p * lda + ir, dst = o + p * h;
                for (int r = 0; r < v; r++) {
                    ap[dst + r] = alpha * a[row + r];
                }
                for (int r = v; r < h; r++) {
                    ap[dst + r] = 0f;
                }
            }
            ir += v;
            o += h * kc;
        }
    }

    /** A tile with v ≤ h valid rows and nr ≤ NR valid columns: computed into {@code tile}, then added to C. */
    private static void edgeTile(int h, int v, int nr, int kc, float[] ap, int apOff, float[] bp, int bpOff,
                                 float[] c, int cOff, int ldc, float[] tile) {
        Arrays.fill(tile, 0, h * NR, 0f);
        kernel(h, kc, ap, apOff, bp, bpOff, tile, 0, NR);
        for (int r = 0; r < v; r++) {
            int cr = cOff + r * ldc, tr = r * NR;
            for (int j = 0; j < nr; j++) {
                c[cr + j] += tile[tr + j];
            }
        }
    }

    private static void kernel(int h, int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        switch (h) {
            case 12 -> kernel12(kc, ap, apOff, bp, bpOff, c, cOff, ldc);
            case 8 -> kernel8(kc, ap, apOff, bp, bpOff, c, cOff, ldc);
            case 6 -> kernel6(kc, ap, apOff, bp, bpOff, c, cOff, ldc);
            case 4 -> kernel4(kc, ap, apOff, bp, bpOff, c, cOff, ldc);
            default -> throw new IllegalStateException("no micro-kernel of height " + h);
        }
    }

    // The micro-kernels: unrolled by hand (one accumulator pair per row, in registers), identical but
    // for the number of rows.

    /** {@code C[0:12, 0:2L] += Ap·Bp}: Ap is a packed [kc][12] panel, Bp a packed [kc][2L] sliver. */
    static void kernel12(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c0a = z, c0b = z, c1a = z, c1b = z, c2a = z, c2b = z, c3a = z, c3b = z;
        FloatVector c4a = z, c4b = z, c5a = z, c5b = z, c6a = z, c6b = z, c7a = z, c7b = z;
        FloatVector c8a = z, c8b = z, c9a = z, c9b = z, c10a = z, c10b = z, c11a = z, c11b = z;
        for (int p = 0; p < kc; p++) {
            int a = apOff + p * 12, b = bpOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b), b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[a + 0]);
            c0a = a0.fma(b0, c0a);
            c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(F, ap[a + 1]);
            c1a = a1.fma(b0, c1a);
            c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(F, ap[a + 2]);
            c2a = a2.fma(b0, c2a);
            c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(F, ap[a + 3]);
            c3a = a3.fma(b0, c3a);
            c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(F, ap[a + 4]);
            c4a = a4.fma(b0, c4a);
            c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(F, ap[a + 5]);
            c5a = a5.fma(b0, c5a);
            c5b = a5.fma(b1, c5b);
            FloatVector a6 = FloatVector.broadcast(F, ap[a + 6]);
            c6a = a6.fma(b0, c6a);
            c6b = a6.fma(b1, c6b);
            FloatVector a7 = FloatVector.broadcast(F, ap[a + 7]);
            c7a = a7.fma(b0, c7a);
            c7b = a7.fma(b1, c7b);
            FloatVector a8 = FloatVector.broadcast(F, ap[a + 8]);
            c8a = a8.fma(b0, c8a);
            c8b = a8.fma(b1, c8b);
            FloatVector a9 = FloatVector.broadcast(F, ap[a + 9]);
            c9a = a9.fma(b0, c9a);
            c9b = a9.fma(b1, c9b);
            FloatVector a10 = FloatVector.broadcast(F, ap[a + 10]);
            c10a = a10.fma(b0, c10a);
            c10b = a10.fma(b1, c10b);
            FloatVector a11 = FloatVector.broadcast(F, ap[a + 11]);
            c11a = a11.fma(b0, c11a);
            c11b = a11.fma(b1, c11b);
        }
        c0a.add(FloatVector.fromArray(F, c, cOff)).intoArray(c, cOff);
        c0b.add(FloatVector.fromArray(F, c, cOff + L)).intoArray(c, cOff + L);
        c1a.add(FloatVector.fromArray(F, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
        c1b.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
        c2a.add(FloatVector.fromArray(F, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
        c2b.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
        c3a.add(FloatVector.fromArray(F, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
        c3b.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
        c4a.add(FloatVector.fromArray(F, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
        c4b.add(FloatVector.fromArray(F, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
        c5a.add(FloatVector.fromArray(F, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
        c5b.add(FloatVector.fromArray(F, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
        c6a.add(FloatVector.fromArray(F, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
        c6b.add(FloatVector.fromArray(F, c, cOff + 6 * ldc + L)).intoArray(c, cOff + 6 * ldc + L);
        c7a.add(FloatVector.fromArray(F, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
        c7b.add(FloatVector.fromArray(F, c, cOff + 7 * ldc + L)).intoArray(c, cOff + 7 * ldc + L);
        c8a.add(FloatVector.fromArray(F, c, cOff + 8 * ldc)).intoArray(c, cOff + 8 * ldc);
        c8b.add(FloatVector.fromArray(F, c, cOff + 8 * ldc + L)).intoArray(c, cOff + 8 * ldc + L);
        c9a.add(FloatVector.fromArray(F, c, cOff + 9 * ldc)).intoArray(c, cOff + 9 * ldc);
        c9b.add(FloatVector.fromArray(F, c, cOff + 9 * ldc + L)).intoArray(c, cOff + 9 * ldc + L);
        c10a.add(FloatVector.fromArray(F, c, cOff + 10 * ldc)).intoArray(c, cOff + 10 * ldc);
        c10b.add(FloatVector.fromArray(F, c, cOff + 10 * ldc + L)).intoArray(c, cOff + 10 * ldc + L);
        c11a.add(FloatVector.fromArray(F, c, cOff + 11 * ldc)).intoArray(c, cOff + 11 * ldc);
        c11b.add(FloatVector.fromArray(F, c, cOff + 11 * ldc + L)).intoArray(c, cOff + 11 * ldc + L);
    }

    /** {@code C[0:8, 0:2L] += Ap·Bp}: Ap is a packed [kc][8] panel, Bp a packed [kc][2L] sliver. */
    static void kernel8(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c0a = z, c0b = z, c1a = z, c1b = z, c2a = z, c2b = z, c3a = z, c3b = z;
        FloatVector c4a = z, c4b = z, c5a = z, c5b = z, c6a = z, c6b = z, c7a = z, c7b = z;
        for (int p = 0; p < kc; p++) {
            int a = apOff + p * 8, b = bpOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b), b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[a + 0]);
            c0a = a0.fma(b0, c0a);
            c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(F, ap[a + 1]);
            c1a = a1.fma(b0, c1a);
            c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(F, ap[a + 2]);
            c2a = a2.fma(b0, c2a);
            c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(F, ap[a + 3]);
            c3a = a3.fma(b0, c3a);
            c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(F, ap[a + 4]);
            c4a = a4.fma(b0, c4a);
            c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(F, ap[a + 5]);
            c5a = a5.fma(b0, c5a);
            c5b = a5.fma(b1, c5b);
            FloatVector a6 = FloatVector.broadcast(F, ap[a + 6]);
            c6a = a6.fma(b0, c6a);
            c6b = a6.fma(b1, c6b);
            FloatVector a7 = FloatVector.broadcast(F, ap[a + 7]);
            c7a = a7.fma(b0, c7a);
            c7b = a7.fma(b1, c7b);
        }
        c0a.add(FloatVector.fromArray(F, c, cOff)).intoArray(c, cOff);
        c0b.add(FloatVector.fromArray(F, c, cOff + L)).intoArray(c, cOff + L);
        c1a.add(FloatVector.fromArray(F, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
        c1b.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
        c2a.add(FloatVector.fromArray(F, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
        c2b.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
        c3a.add(FloatVector.fromArray(F, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
        c3b.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
        c4a.add(FloatVector.fromArray(F, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
        c4b.add(FloatVector.fromArray(F, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
        c5a.add(FloatVector.fromArray(F, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
        c5b.add(FloatVector.fromArray(F, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
        c6a.add(FloatVector.fromArray(F, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
        c6b.add(FloatVector.fromArray(F, c, cOff + 6 * ldc + L)).intoArray(c, cOff + 6 * ldc + L);
        c7a.add(FloatVector.fromArray(F, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
        c7b.add(FloatVector.fromArray(F, c, cOff + 7 * ldc + L)).intoArray(c, cOff + 7 * ldc + L);
    }

    /** {@code C[0:6, 0:2L] += Ap·Bp}: Ap is a packed [kc][6] panel, Bp a packed [kc][2L] sliver. */
    static void kernel6(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c0a = z, c0b = z, c1a = z, c1b = z, c2a = z, c2b = z, c3a = z, c3b = z;
        FloatVector c4a = z, c4b = z, c5a = z, c5b = z;
        for (int p = 0; p < kc; p++) {
            int a = apOff + p * 6, b = bpOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b), b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[a + 0]);
            c0a = a0.fma(b0, c0a);
            c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(F, ap[a + 1]);
            c1a = a1.fma(b0, c1a);
            c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(F, ap[a + 2]);
            c2a = a2.fma(b0, c2a);
            c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(F, ap[a + 3]);
            c3a = a3.fma(b0, c3a);
            c3b = a3.fma(b1, c3b);
            FloatVector a4 = FloatVector.broadcast(F, ap[a + 4]);
            c4a = a4.fma(b0, c4a);
            c4b = a4.fma(b1, c4b);
            FloatVector a5 = FloatVector.broadcast(F, ap[a + 5]);
            c5a = a5.fma(b0, c5a);
            c5b = a5.fma(b1, c5b);
        }
        c0a.add(FloatVector.fromArray(F, c, cOff)).intoArray(c, cOff);
        c0b.add(FloatVector.fromArray(F, c, cOff + L)).intoArray(c, cOff + L);
        c1a.add(FloatVector.fromArray(F, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
        c1b.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
        c2a.add(FloatVector.fromArray(F, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
        c2b.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
        c3a.add(FloatVector.fromArray(F, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
        c3b.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
        c4a.add(FloatVector.fromArray(F, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
        c4b.add(FloatVector.fromArray(F, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
        c5a.add(FloatVector.fromArray(F, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
        c5b.add(FloatVector.fromArray(F, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
    }

    /** {@code C[0:4, 0:2L] += Ap·Bp}: Ap is a packed [kc][4] panel, Bp a packed [kc][2L] sliver. */
    static void kernel4(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c0a = z, c0b = z, c1a = z, c1b = z, c2a = z, c2b = z, c3a = z, c3b = z;
        for (int p = 0; p < kc; p++) {
            int a = apOff + p * 4, b = bpOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, b), b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector a0 = FloatVector.broadcast(F, ap[a + 0]);
            c0a = a0.fma(b0, c0a);
            c0b = a0.fma(b1, c0b);
            FloatVector a1 = FloatVector.broadcast(F, ap[a + 1]);
            c1a = a1.fma(b0, c1a);
            c1b = a1.fma(b1, c1b);
            FloatVector a2 = FloatVector.broadcast(F, ap[a + 2]);
            c2a = a2.fma(b0, c2a);
            c2b = a2.fma(b1, c2b);
            FloatVector a3 = FloatVector.broadcast(F, ap[a + 3]);
            c3a = a3.fma(b0, c3a);
            c3b = a3.fma(b1, c3b);
        }
        c0a.add(FloatVector.fromArray(F, c, cOff)).intoArray(c, cOff);
        c0b.add(FloatVector.fromArray(F, c, cOff + L)).intoArray(c, cOff + L);
        c1a.add(FloatVector.fromArray(F, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
        c1b.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
        c2a.add(FloatVector.fromArray(F, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
        c2b.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
        c3a.add(FloatVector.fromArray(F, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
        c3b.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
    }

}
