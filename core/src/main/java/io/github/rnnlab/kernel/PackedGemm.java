package io.github.rnnlab.kernel;

import io.github.rnnlab.ShapeException;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Matrix products against a right operand that is packed once and then reused for many products:
 * {@code C = A·op(B) + β·C}, the shape of a recurrent step, whose weights ({@code W_hhᵀ} forward,
 * {@code W_hh} backward) multiply a new left operand (the state, or its gradient) at every time step.
 * A general GEMM packs op(B) at every call; for a step of 64 rows against a 256×1024 weight matrix that
 * packing costs about as much as the product. Here {@link #pack} lays op(B) out once and
 * {@link #gemm} only packs the few rows of A.
 *
 * <h2>Layout</h2>
 * op(B) is k×n. Its depth is cut into equal blocks of at most {@link #KC} ({@link #depthStep}); block
 * {@code pc} (starting at depth pc, kc deep) occupies {@code kc·n̄} floats from {@code pc·n̄}, where
 * {@code n̄ = ⌈n/NR⌉·NR}, as slivers of {@link #NR} columns, sliver s at {@code s·NR·kc}, each laid out
 * [kc][NR]; columns past n are zero. So element (p, j) of block pc is at
 * {@code pc·n̄ + (j/NR)·NR·kc + (p − pc)·NR + j mod NR}. {@link #packedSize} is {@code k·n̄}.
 *
 * <h2>Products</h2>
 * {@link #gemmSimd}: C is first scaled by β (β = 0 writes zeros without reading C, so NaN there is
 * ignored), then for each depth block the rows of A are packed into panels of 12, 8, 4, 2 or 1 rows
 * (zero-padded) and every panel × sliver pair runs a register-blocked FMA micro-kernel whose
 * accumulators start as the tile of C and go back into it; tiles with fewer rows or columns go
 * through a scratch tile holding the valid part of C's tile (no masked vector operations). Each element of C accumulates its products in the order p = 0…k−1 whatever rows and
 * columns surround it, so computing a product in row or column blocks (one per team member) gives
 * exactly the same result as computing it at once. {@link #gemmScalar}: the scalar twin, plain loops over the packed
 * layout. Both run on the calling thread: a caller splitting a step across a team gives each member
 * its own rows.
 *
 * <p>Scratch: each thread packs A into its own buffer (a {@link ThreadLocal}, grown to the largest
 * block and reused), so steady-state calls allocate nothing.
 */
public final class PackedGemm {
    private PackedGemm() {
    }

    private static final VectorSpecies<Float> F = Simd.FLOATS;
    private static final int L = Simd.LANES;
    /** Columns of a sliver of packed op(B): two vectors. */
    public static final int NR = 2 * L;
    /** Rows of the largest micro-kernel: 12 with 32 vector registers (16 lanes), 6 otherwise. */
    static final int MR = L >= 16 ? 12 : 6;
    /** Largest depth of a packed block: a [KC][NR] sliver (24 KB with 16 lanes) and a [KC][12] panel share L1. */
    public static final int KC = 192;
    /** Rows of A packed at a time. */
    static final int MC = 16 * MR;

    private static final class Scratch {
        float[] packedA = new float[0];
        final float[] tile = new float[MR * NR];

        float[] packedA(int size) {
            if (packedA.length < size) packedA = new float[size];
            return packedA;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The depth of every block but possibly the last: {@code ⌈k / ⌈k/KC⌉⌉} (k = 256 is 2 × 128). */
    public static int depthStep(int k) {
        int blocks = Math.max(1, (k + KC - 1) / KC);
        return (k + blocks - 1) / blocks;
    }

    /** n rounded up to whole slivers. */
    static int paddedColumns(int n) {
        return (n + NR - 1) / NR * NR;
    }

    /** Floats {@link #pack} writes for a k×n op(B). */
    public static int packedSize(int k, int n) {
        if (k < 0 || n < 0) {
            throw new ShapeException("packed size: expected k, n >= 0, got k=" + k + ", n=" + n);
        }
        return k * paddedColumns(n);
    }

    /**
     * Packs op(B), k×n, into {@code packed} from {@code pOff} ({@link #packedSize} floats written), in
     * the layout of the class comment. B is stored k×n (tb = NO) or n×k (tb = YES) with row stride
     * ldb; it is not modified.
     *
     * @throws ShapeException if a region lies outside its array
     */
    public static void pack(Transpose tb, int k, int n, float[] b, int bOff, int ldb, float[] packed, int pOff) {
        pack(tb, k, n, 0, n, b, bOff, ldb, packed, pOff);
    }

    /**
     * The part of {@link #pack(Transpose, int, int, float[], int, int, float[], int)} made of the
     * slivers whose first column lies in [j0, j1): calls whose ranges partition [0, n) (one per team
     * member) together write the whole layout, each sliver once.
     *
     * @throws ShapeException if a region lies outside its array or the range is not within [0, n]
     */
    public static void pack(Transpose tb, int k, int n, int j0, int j1, float[] b, int bOff, int ldb, float[] packed, int pOff) {
        int size = packedSize(k, n);
        checkColumns(n, j0, j1);
        if (k == 0 || n == 0) {
            return;
        }
        if (tb == Transpose.NO) Gemm.region("packed gemm B", b, bOff, ldb, k, n);
        else Gemm.region("packed gemm B (transposed)", b, bOff, ldb, n, k);
        if (pOff < 0 || (long) pOff + size > packed.length) {
            ShapeException.checkRegion("packed B (" + k + "×" + paddedColumns(n) + ")", packed.length, pOff, size);
        }
        int nPad = paddedColumns(n), kStep = depthStep(k);
        int first = (j0 + NR - 1) / NR * NR;
        for (int pc = 0; pc < k; pc += kStep) {
            int kc = Math.min(kStep, k - pc);
            int base = pOff + pc * nPad;
            if (tb == Transpose.YES && Simd.ENABLED) {
                // the slivers starting in [j0, j1), transposed 16×16 in registers (the same packing as the
                // general GEMM's transposed operand; the layout, and so every product, is the same)
                int end = Math.min(n, (j1 + NR - 1) / NR * NR);
                if (end > first) {
                    GemmSimd.packTransposedB(kc, end - first, b, bOff + first * ldb + pc, ldb, packed, base + first * kc);
                }
                continue;
            }
            for (int jr = first; jr < j1; jr += NR) {
                int nr = Math.min(NR, n - jr);
                int o = base + jr * kc;
                if (tb == Transpose.NO) {
                    for (int p = 0; p < kc; p++, o += NR) {
                        System.arraycopy(b, bOff + (pc + p) * ldb + jr, packed, o, nr);
                        Arrays.fill(packed, o + nr, o + NR, 0f);
                    }
                } else {
                    GemmSimd.interleaveRows(kc, nr, NR, NR, 1f, b, bOff + jr * ldb + pc, ldb, packed, o);
                }
            }
        }
    }


    /**
     * {@code C = A·op(B) + β·C} with op(B) (k×n) packed by {@link #pack}, on the calling thread, with
     * the Vector API kernels unless {@code -Drnnlab.simd=false}.
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int lda, float[] packed, int pOff,
                            float beta, float[] c, int cOff, int ldc) {
        if (Simd.ENABLED) gemmSimd(m, n, k, 0, n, a, aOff, lda, packed, pOff, beta, c, cOff, ldc);
        else gemmScalar(m, n, k, 0, n, a, aOff, lda, packed, pOff, beta, c, cOff, ldc);
    }

    /**
     * Vector API {@code C = A·op(B) + β·C}: A m×k (row stride lda, not modified), op(B) k×n packed at
     * {@code pOff} (not modified), C m×n (row stride ldc, modified; must not overlap A or the packed B).
     *
     * @throws ShapeException if a region lies outside its array
     */
    public static void gemmSimd(int m, int n, int k, float[] a, int aOff, int lda, float[] packed, int pOff,
                                float beta, float[] c, int cOff, int ldc) {
        gemmSimd(m, n, k, 0, n, a, aOff, lda, packed, pOff, beta, c, cOff, ldc);
    }

    /**
     * {@link #gemmSimd(int, int, int, float[], int, int, float[], int, float, float[], int, int)} for the
     * columns [j0, j1) of C only (a team member's share of a matrix-vector product): the other columns
     * of C are neither read nor written; each computed element equals the one the whole product gives.
     *
     * @throws ShapeException if a region lies outside its array or the range is not within [0, n]
     */
    public static void gemmSimd(int m, int n, int k, int j0, int j1, float[] a, int aOff, int lda, float[] packed, int pOff,
                                float beta, float[] c, int cOff, int ldc) {
        check(m, n, k, a, aOff, lda, packed, pOff, c, cOff, ldc);
        checkColumns(n, j0, j1);
        if (m == 0 || j1 == j0) {
            return;
        }
        GemmSimd.scale(m, j1 - j0, beta, c, cOff + j0, ldc);
        if (k == 0) {
            return;
        }
        Scratch s = SCRATCH.get();
        int nPad = paddedColumns(n), kStep = depthStep(k);
        for (int pc = 0; pc < k; pc += kStep) {
            int kc = Math.min(kStep, k - pc);
            int block = pOff + pc * nPad;
            for (int ic = 0; ic < m; ic += MC) {
                int mc = Math.min(MC, m - ic);
                // a one-row panel [kc][1] is the row itself: no copy
                float[] ap = mc == 1 ? a : s.packedA(kc * (mc + MR));
                int ap0 = mc == 1 ? aOff + ic * lda + pc : 0;
                if (mc > 1) {
                    packA(kc, mc, a, aOff + ic * lda + pc, lda, ap);
                }
                int cBlock = cOff + ic * ldc;
                int jr = j0 / NR * NR;
                if (mc == 1 && jr == j0) {
                    // one row (a matrix-vector product): four slivers at a time, eight independent
                    // accumulators instead of two, so the FMAs are not bound by their latency
                    for (; jr + 4 * NR <= j1; jr += 4 * NR) {
                        kernel1x4(kc, ap, ap0, packed, block + jr * kc, NR * kc, c, cBlock + jr);
                    }
                }
                for (; jr < j1; jr += NR) {
                    // the valid columns of this sliver: [lo, hi) relative to jr
                    int lo = Math.max(0, j0 - jr), hi = Math.min(NR, j1 - jr);
                    int bp = block + jr * kc;
                    int apOff = ap0;
                    for (int ir = 0; ir < mc; ) {
                        int h = panelHeight(mc - ir), v = Math.min(h, mc - ir);
                        int co = cBlock + ir * ldc + jr;
                        if (v == h && lo == 0 && hi == NR) {
                            kernel(h, kc, ap, apOff, packed, bp, c, co, ldc);
                        } else {
                            edgeTile(h, v, lo, hi, kc, ap, apOff, packed, bp, c, co, ldc, s.tile);
                        }
                        ir += v;
                        apOff += h * kc;
                    }
                }
            }
        }
    }

    private static void checkColumns(int n, int j0, int j1) {
        if (j0 < 0 || j1 < j0 || j1 > n) {
            throw new ShapeException("packed gemm columns: expected 0 <= j0 <= j1 <= n = " + n + ", got [" + j0 + ", " + j1 + ")");
        }
    }

    /**
     * Scalar twin of {@link #gemmSimd}: C is scaled by β, then each element accumulates
     * {@code A[i,p]·op(B)[p,j]} in the order p = 0…k-1 (in a float, unfused).
     */
    public static void gemmScalar(int m, int n, int k, float[] a, int aOff, int lda, float[] packed, int pOff,
                                  float beta, float[] c, int cOff, int ldc) {
        gemmScalar(m, n, k, 0, n, a, aOff, lda, packed, pOff, beta, c, cOff, ldc);
    }

    /** Scalar twin of the column-range {@link #gemmSimd(int, int, int, int, int, float[], int, int, float[], int, float, float[], int, int)}. */
    public static void gemmScalar(int m, int n, int k, int j0, int j1, float[] a, int aOff, int lda, float[] packed, int pOff,
                                  float beta, float[] c, int cOff, int ldc) {
        check(m, n, k, a, aOff, lda, packed, pOff, c, cOff, ldc);
        checkColumns(n, j0, j1);
        if (m == 0 || j1 == j0) {
            return;
        }
        scaleScalar(m, j1 - j0, beta, c, cOff + j0, ldc);
        if (k == 0) {
            return;
        }
        int nPad = paddedColumns(n), kStep = depthStep(k);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda, ci = cOff + i * ldc;
            for (int j = j0; j < j1; j++) {
                int sliver = j / NR * NR, lane = j - sliver;
                float sum = c[ci + j];
                for (int pc = 0; pc < k; pc += kStep) {
                    int kc = Math.min(kStep, k - pc);
                    int o = pOff + pc * nPad + sliver * kc + lane;
                    for (int p = 0; p < kc; p++, o += NR) {
                        sum += a[ai + pc + p] * packed[o];
                    }
                }
                c[ci + j] = sum;
            }
        }
    }

    static void check(int m, int n, int k, float[] a, int aOff, int lda, float[] packed, int pOff,
                      float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new ShapeException("packed gemm dimensions: expected m, n, k >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        Gemm.region("packed gemm C", c, cOff, ldc, m, n);
        if (k == 0) {
            return;
        }
        Gemm.region("packed gemm A", a, aOff, lda, m, k);
        if (packed == null) {
            throw new ShapeException("packed gemm B: expected " + packedSize(k, n) + " packed floats, got null");
        }
        int size = packedSize(k, n);
        if (pOff < 0 || (long) pOff + size > packed.length) {
            ShapeException.checkRegion("packed gemm B (" + k + "×" + paddedColumns(n) + " packed)", packed.length, pOff, size);
        }
    }

    /** The height of the next panel of A when {@code rowsLeft} rows remain (zero-padded if larger). */
    static int panelHeight(int rowsLeft) {
        if (MR == 12) {
            return rowsLeft > 8 ? 12 : rowsLeft > 4 ? 8 : rowsLeft > 2 ? 4 : rowsLeft;
        }
        return rowsLeft > 4 ? 6 : rowsLeft > 2 ? 4 : rowsLeft;
    }

    private static void scaleScalar(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = beta == 0f ? 0f : c[ci + j] * beta;
            }
        }
    }

    /**
     * Packs A[0:mc, 0:kc] (row-major at {@code src}, stride lda) into panels of {@link #panelHeight}
     * rows, each [kc][h], one after another; rows past mc are zero.
     */
    private static void packA(int kc, int mc, float[] a, int src, int lda, float[] ap) {
        int ir = GemmSimd.packWholePanels(kc, mc, 1f, a, src, lda, ap), o = ir * kc;
        while (ir < mc) {
            int h = panelHeight(mc - ir), v = Math.min(h, mc - ir);
            GemmSimd.interleaveRows(kc, v, h, h, 1f, a, src + ir * lda, lda, ap, o);
            ir += v;
            o += h * kc;
        }
    }

    /**
     * A tile with v ≤ h valid rows and the valid columns [lo, hi) of its sliver, computed in
     * {@code tile}: the valid part of C's tile (at {@code cOff}, column 0 of the sliver) is copied in,
     * the rest zeroed, the kernel accumulates into it, and the valid part is copied back, so each
     * element gets exactly the operations of a full tile.
     */
    private static void edgeTile(int h, int v, int lo, int hi, int kc, float[] ap, int apOff, float[] bp, int bpOff,
                                 float[] c, int cOff, int ldc, float[] tile) {
        Arrays.fill(tile, 0, h * NR, 0f);
        for (int r = 0; r < v; r++) {
            System.arraycopy(c, cOff + r * ldc + lo, tile, r * NR + lo, hi - lo);
        }
        kernel(h, kc, ap, apOff, bp, bpOff, tile, 0, NR);
        for (int r = 0; r < v; r++) {
            System.arraycopy(tile, r * NR + lo, c, cOff + r * ldc + lo, hi - lo);
        }
    }

    private static void kernel(int h, int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        switch (h) {
            case 12 -> kernel12(kc, ap, apOff, bp, bpOff, c, cOff, ldc);
            case 8 -> kernel8(kc, ap, apOff, bp, bpOff, c, cOff, ldc);
            case 6 -> kernel6(kc, ap, apOff, bp, bpOff, c, cOff, ldc);
            case 4 -> kernel4(kc, ap, apOff, bp, bpOff, c, cOff, ldc);
            case 2 -> kernel2(kc, ap, apOff, bp, bpOff, c, cOff, ldc);
            case 1 -> kernel1(kc, ap, apOff, bp, bpOff, c, cOff, ldc);
            default -> throw new IllegalStateException("no micro-kernel of height " + h);
        }
    }

    // Micro-kernels: C[0:h, 0:NR] += Ap·Bp with Ap a packed [kc][h] panel and Bp a packed [kc][NR]
    // sliver; one accumulator pair per row, unrolled by hand. The accumulators start as the tile of C
    // and are stored back at the end (C + p₀ + p₁ + …, in order, for every element): two vector
    // operations per accumulator outside the loop rather than four (zero, load, add, store). That
    // keeps the 24-accumulator kernel within C2's node budget: with the longer epilogue, C2 sometimes
    // ran out of budget for the last stores' intrinsics, left them as calls, and the kernel then boxed
    // vectors (allocated) on every call. No helper methods taking vectors, for the same reason.

    private static void kernel12(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        FloatVector c0a = FloatVector.fromArray(F, c, cOff), c0b = FloatVector.fromArray(F, c, cOff + L);
        FloatVector c1a = FloatVector.fromArray(F, c, cOff + ldc), c1b = FloatVector.fromArray(F, c, cOff + ldc + L);
        FloatVector c2a = FloatVector.fromArray(F, c, cOff + 2 * ldc), c2b = FloatVector.fromArray(F, c, cOff + 2 * ldc + L);
        FloatVector c3a = FloatVector.fromArray(F, c, cOff + 3 * ldc), c3b = FloatVector.fromArray(F, c, cOff + 3 * ldc + L);
        FloatVector c4a = FloatVector.fromArray(F, c, cOff + 4 * ldc), c4b = FloatVector.fromArray(F, c, cOff + 4 * ldc + L);
        FloatVector c5a = FloatVector.fromArray(F, c, cOff + 5 * ldc), c5b = FloatVector.fromArray(F, c, cOff + 5 * ldc + L);
        FloatVector c6a = FloatVector.fromArray(F, c, cOff + 6 * ldc), c6b = FloatVector.fromArray(F, c, cOff + 6 * ldc + L);
        FloatVector c7a = FloatVector.fromArray(F, c, cOff + 7 * ldc), c7b = FloatVector.fromArray(F, c, cOff + 7 * ldc + L);
        FloatVector c8a = FloatVector.fromArray(F, c, cOff + 8 * ldc), c8b = FloatVector.fromArray(F, c, cOff + 8 * ldc + L);
        FloatVector c9a = FloatVector.fromArray(F, c, cOff + 9 * ldc), c9b = FloatVector.fromArray(F, c, cOff + 9 * ldc + L);
        FloatVector c10a = FloatVector.fromArray(F, c, cOff + 10 * ldc), c10b = FloatVector.fromArray(F, c, cOff + 10 * ldc + L);
        FloatVector c11a = FloatVector.fromArray(F, c, cOff + 11 * ldc), c11b = FloatVector.fromArray(F, c, cOff + 11 * ldc + L);
        for (int p = 0, a = apOff, b = bpOff; p < kc; p++, a += 12, b += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, b), b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector x = FloatVector.broadcast(F, ap[a]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(F, ap[a + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(F, ap[a + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(F, ap[a + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(F, ap[a + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(F, ap[a + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(F, ap[a + 6]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(F, ap[a + 7]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
            x = FloatVector.broadcast(F, ap[a + 8]);
            c8a = x.fma(b0, c8a);
            c8b = x.fma(b1, c8b);
            x = FloatVector.broadcast(F, ap[a + 9]);
            c9a = x.fma(b0, c9a);
            c9b = x.fma(b1, c9b);
            x = FloatVector.broadcast(F, ap[a + 10]);
            c10a = x.fma(b0, c10a);
            c10b = x.fma(b1, c10b);
            x = FloatVector.broadcast(F, ap[a + 11]);
            c11a = x.fma(b0, c11a);
            c11b = x.fma(b1, c11b);
        }
        c0a.intoArray(c, cOff);
        c0b.intoArray(c, cOff + L);
        c1a.intoArray(c, cOff + ldc);
        c1b.intoArray(c, cOff + ldc + L);
        c2a.intoArray(c, cOff + 2 * ldc);
        c2b.intoArray(c, cOff + 2 * ldc + L);
        c3a.intoArray(c, cOff + 3 * ldc);
        c3b.intoArray(c, cOff + 3 * ldc + L);
        c4a.intoArray(c, cOff + 4 * ldc);
        c4b.intoArray(c, cOff + 4 * ldc + L);
        c5a.intoArray(c, cOff + 5 * ldc);
        c5b.intoArray(c, cOff + 5 * ldc + L);
        c6a.intoArray(c, cOff + 6 * ldc);
        c6b.intoArray(c, cOff + 6 * ldc + L);
        c7a.intoArray(c, cOff + 7 * ldc);
        c7b.intoArray(c, cOff + 7 * ldc + L);
        c8a.intoArray(c, cOff + 8 * ldc);
        c8b.intoArray(c, cOff + 8 * ldc + L);
        c9a.intoArray(c, cOff + 9 * ldc);
        c9b.intoArray(c, cOff + 9 * ldc + L);
        c10a.intoArray(c, cOff + 10 * ldc);
        c10b.intoArray(c, cOff + 10 * ldc + L);
        c11a.intoArray(c, cOff + 11 * ldc);
        c11b.intoArray(c, cOff + 11 * ldc + L);
    }

    private static void kernel8(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        FloatVector c0a = FloatVector.fromArray(F, c, cOff), c0b = FloatVector.fromArray(F, c, cOff + L);
        FloatVector c1a = FloatVector.fromArray(F, c, cOff + ldc), c1b = FloatVector.fromArray(F, c, cOff + ldc + L);
        FloatVector c2a = FloatVector.fromArray(F, c, cOff + 2 * ldc), c2b = FloatVector.fromArray(F, c, cOff + 2 * ldc + L);
        FloatVector c3a = FloatVector.fromArray(F, c, cOff + 3 * ldc), c3b = FloatVector.fromArray(F, c, cOff + 3 * ldc + L);
        FloatVector c4a = FloatVector.fromArray(F, c, cOff + 4 * ldc), c4b = FloatVector.fromArray(F, c, cOff + 4 * ldc + L);
        FloatVector c5a = FloatVector.fromArray(F, c, cOff + 5 * ldc), c5b = FloatVector.fromArray(F, c, cOff + 5 * ldc + L);
        FloatVector c6a = FloatVector.fromArray(F, c, cOff + 6 * ldc), c6b = FloatVector.fromArray(F, c, cOff + 6 * ldc + L);
        FloatVector c7a = FloatVector.fromArray(F, c, cOff + 7 * ldc), c7b = FloatVector.fromArray(F, c, cOff + 7 * ldc + L);
        for (int p = 0, a = apOff, b = bpOff; p < kc; p++, a += 8, b += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, b), b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector x = FloatVector.broadcast(F, ap[a]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(F, ap[a + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(F, ap[a + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(F, ap[a + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(F, ap[a + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(F, ap[a + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
            x = FloatVector.broadcast(F, ap[a + 6]);
            c6a = x.fma(b0, c6a);
            c6b = x.fma(b1, c6b);
            x = FloatVector.broadcast(F, ap[a + 7]);
            c7a = x.fma(b0, c7a);
            c7b = x.fma(b1, c7b);
        }
        c0a.intoArray(c, cOff);
        c0b.intoArray(c, cOff + L);
        c1a.intoArray(c, cOff + ldc);
        c1b.intoArray(c, cOff + ldc + L);
        c2a.intoArray(c, cOff + 2 * ldc);
        c2b.intoArray(c, cOff + 2 * ldc + L);
        c3a.intoArray(c, cOff + 3 * ldc);
        c3b.intoArray(c, cOff + 3 * ldc + L);
        c4a.intoArray(c, cOff + 4 * ldc);
        c4b.intoArray(c, cOff + 4 * ldc + L);
        c5a.intoArray(c, cOff + 5 * ldc);
        c5b.intoArray(c, cOff + 5 * ldc + L);
        c6a.intoArray(c, cOff + 6 * ldc);
        c6b.intoArray(c, cOff + 6 * ldc + L);
        c7a.intoArray(c, cOff + 7 * ldc);
        c7b.intoArray(c, cOff + 7 * ldc + L);
    }

    private static void kernel6(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        FloatVector c0a = FloatVector.fromArray(F, c, cOff), c0b = FloatVector.fromArray(F, c, cOff + L);
        FloatVector c1a = FloatVector.fromArray(F, c, cOff + ldc), c1b = FloatVector.fromArray(F, c, cOff + ldc + L);
        FloatVector c2a = FloatVector.fromArray(F, c, cOff + 2 * ldc), c2b = FloatVector.fromArray(F, c, cOff + 2 * ldc + L);
        FloatVector c3a = FloatVector.fromArray(F, c, cOff + 3 * ldc), c3b = FloatVector.fromArray(F, c, cOff + 3 * ldc + L);
        FloatVector c4a = FloatVector.fromArray(F, c, cOff + 4 * ldc), c4b = FloatVector.fromArray(F, c, cOff + 4 * ldc + L);
        FloatVector c5a = FloatVector.fromArray(F, c, cOff + 5 * ldc), c5b = FloatVector.fromArray(F, c, cOff + 5 * ldc + L);
        for (int p = 0, a = apOff, b = bpOff; p < kc; p++, a += 6, b += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, b), b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector x = FloatVector.broadcast(F, ap[a]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(F, ap[a + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(F, ap[a + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(F, ap[a + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
            x = FloatVector.broadcast(F, ap[a + 4]);
            c4a = x.fma(b0, c4a);
            c4b = x.fma(b1, c4b);
            x = FloatVector.broadcast(F, ap[a + 5]);
            c5a = x.fma(b0, c5a);
            c5b = x.fma(b1, c5b);
        }
        c0a.intoArray(c, cOff);
        c0b.intoArray(c, cOff + L);
        c1a.intoArray(c, cOff + ldc);
        c1b.intoArray(c, cOff + ldc + L);
        c2a.intoArray(c, cOff + 2 * ldc);
        c2b.intoArray(c, cOff + 2 * ldc + L);
        c3a.intoArray(c, cOff + 3 * ldc);
        c3b.intoArray(c, cOff + 3 * ldc + L);
        c4a.intoArray(c, cOff + 4 * ldc);
        c4b.intoArray(c, cOff + 4 * ldc + L);
        c5a.intoArray(c, cOff + 5 * ldc);
        c5b.intoArray(c, cOff + 5 * ldc + L);
    }

    private static void kernel4(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        FloatVector c0a = FloatVector.fromArray(F, c, cOff), c0b = FloatVector.fromArray(F, c, cOff + L);
        FloatVector c1a = FloatVector.fromArray(F, c, cOff + ldc), c1b = FloatVector.fromArray(F, c, cOff + ldc + L);
        FloatVector c2a = FloatVector.fromArray(F, c, cOff + 2 * ldc), c2b = FloatVector.fromArray(F, c, cOff + 2 * ldc + L);
        FloatVector c3a = FloatVector.fromArray(F, c, cOff + 3 * ldc), c3b = FloatVector.fromArray(F, c, cOff + 3 * ldc + L);
        for (int p = 0, a = apOff, b = bpOff; p < kc; p++, a += 4, b += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, b), b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector x = FloatVector.broadcast(F, ap[a]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(F, ap[a + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
            x = FloatVector.broadcast(F, ap[a + 2]);
            c2a = x.fma(b0, c2a);
            c2b = x.fma(b1, c2b);
            x = FloatVector.broadcast(F, ap[a + 3]);
            c3a = x.fma(b0, c3a);
            c3b = x.fma(b1, c3b);
        }
        c0a.intoArray(c, cOff);
        c0b.intoArray(c, cOff + L);
        c1a.intoArray(c, cOff + ldc);
        c1b.intoArray(c, cOff + ldc + L);
        c2a.intoArray(c, cOff + 2 * ldc);
        c2b.intoArray(c, cOff + 2 * ldc + L);
        c3a.intoArray(c, cOff + 3 * ldc);
        c3b.intoArray(c, cOff + 3 * ldc + L);
    }

    private static void kernel2(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        FloatVector c0a = FloatVector.fromArray(F, c, cOff), c0b = FloatVector.fromArray(F, c, cOff + L);
        FloatVector c1a = FloatVector.fromArray(F, c, cOff + ldc), c1b = FloatVector.fromArray(F, c, cOff + ldc + L);
        for (int p = 0, a = apOff, b = bpOff; p < kc; p++, a += 2, b += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, b), b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector x = FloatVector.broadcast(F, ap[a]);
            c0a = x.fma(b0, c0a);
            c0b = x.fma(b1, c0b);
            x = FloatVector.broadcast(F, ap[a + 1]);
            c1a = x.fma(b0, c1a);
            c1b = x.fma(b1, c1b);
        }
        c0a.intoArray(c, cOff);
        c0b.intoArray(c, cOff + L);
        c1a.intoArray(c, cOff + ldc);
        c1b.intoArray(c, cOff + ldc + L);
    }

    /**
     * {@code C[0, 0:4·NR] += a·Bp} for four consecutive slivers ({@code stride} floats apart): per
     * element the same operations in the same order as {@link #kernel1}.
     */
    private static void kernel1x4(int kc, float[] ap, int apOff, float[] bp, int bpOff, int stride, float[] c, int cOff) {
        FloatVector c0a = FloatVector.fromArray(F, c, cOff), c0b = FloatVector.fromArray(F, c, cOff + L);
        FloatVector c1a = FloatVector.fromArray(F, c, cOff + NR), c1b = FloatVector.fromArray(F, c, cOff + NR + L);
        FloatVector c2a = FloatVector.fromArray(F, c, cOff + 2 * NR), c2b = FloatVector.fromArray(F, c, cOff + 2 * NR + L);
        FloatVector c3a = FloatVector.fromArray(F, c, cOff + 3 * NR), c3b = FloatVector.fromArray(F, c, cOff + 3 * NR + L);
        int b1 = bpOff + stride, b2 = b1 + stride, b3 = b2 + stride;
        for (int p = 0; p < kc; p++) {
            FloatVector x = FloatVector.broadcast(F, ap[apOff + p]);
            int o = p * NR;
            c0a = x.fma(FloatVector.fromArray(F, bp, bpOff + o), c0a);
            c0b = x.fma(FloatVector.fromArray(F, bp, bpOff + o + L), c0b);
            c1a = x.fma(FloatVector.fromArray(F, bp, b1 + o), c1a);
            c1b = x.fma(FloatVector.fromArray(F, bp, b1 + o + L), c1b);
            c2a = x.fma(FloatVector.fromArray(F, bp, b2 + o), c2a);
            c2b = x.fma(FloatVector.fromArray(F, bp, b2 + o + L), c2b);
            c3a = x.fma(FloatVector.fromArray(F, bp, b3 + o), c3a);
            c3b = x.fma(FloatVector.fromArray(F, bp, b3 + o + L), c3b);
        }
        c0a.intoArray(c, cOff);
        c0b.intoArray(c, cOff + L);
        c1a.intoArray(c, cOff + NR);
        c1b.intoArray(c, cOff + NR + L);
        c2a.intoArray(c, cOff + 2 * NR);
        c2b.intoArray(c, cOff + 2 * NR + L);
        c3a.intoArray(c, cOff + 3 * NR);
        c3b.intoArray(c, cOff + 3 * NR + L);
    }

    private static void kernel1(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] c, int cOff, int ldc) {
        FloatVector c0a = FloatVector.fromArray(F, c, cOff), c0b = FloatVector.fromArray(F, c, cOff + L);
        for (int p = 0, a = apOff, b = bpOff; p < kc; p++, a++, b += NR) {
            FloatVector x = FloatVector.broadcast(F, ap[a]);
            c0a = x.fma(FloatVector.fromArray(F, bp, b), c0a);
            c0b = x.fma(FloatVector.fromArray(F, bp, b + L), c0b);
        }
        c0a.intoArray(c, cOff);
        c0b.intoArray(c, cOff + L);
    }

}
