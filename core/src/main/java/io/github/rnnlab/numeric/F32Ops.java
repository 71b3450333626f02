package io.github.rnnlab.numeric;

import io.github.rnnlab.kernel.Activations;
import io.github.rnnlab.kernel.Gemm;
import io.github.rnnlab.kernel.PackedGemm;
import io.github.rnnlab.kernel.Simd;
import io.github.rnnlab.kernel.Transpose;
import io.github.rnnlab.kernel.VectorMath;
import io.github.rnnlab.kernel.WorkerTeam;

import java.util.Arrays;

/**
 * float32 {@link Ops} on the Vector API kernels ({@code simd = true}) or on their scalar twins
 * ({@code simd = false}), with GEMMs split across an optional {@link WorkerTeam}. Immutable; the team
 * is owned by whoever created it.
 */
public final class F32Ops implements Ops<float[]> {
    private final boolean simd;
    private final WorkerTeam team;

    /**
     * @param simd whether to run the Vector API kernels (false: the scalar twins)
     * @param team the team GEMMs are split across, or null for the calling thread alone
     */
    public F32Ops(boolean simd, WorkerTeam team) {
        this.simd = simd;
        this.team = team;
    }

    /** Single-threaded, SIMD as {@code -Drnnlab.simd} says. */
    public static F32Ops standard() {
        return new F32Ops(Simd.ENABLED, null);
    }

    /** Using {@code team}, SIMD as {@code -Drnnlab.simd} says. */
    public static F32Ops with(WorkerTeam team) {
        return new F32Ops(Simd.ENABLED, team);
    }

    @Override
    public Precision precision() {
        return Precision.F32;
    }

    @Override
    public boolean simd() {
        return simd;
    }

    @Override
    public WorkerTeam team() {
        return team;
    }

    @Override
    public float[] allocate(int n) {
        return new float[n];
    }

    @Override
    public int length(float[] a) {
        return a.length;
    }

    @Override
    public double get(float[] a, int i) {
        return a[i];
    }

    @Override
    public void set(float[] a, int i, double v) {
        a[i] = (float) v;
    }

    @Override
    public void copy(int n, float[] src, int srcOff, float[] dst, int dstOff) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void fill(int n, double value, float[] dst, int dstOff) {
        Arrays.fill(dst, dstOff, dstOff + n, (float) value);
    }

    @Override
    public void fromDoubles(int n, double[] src, int srcOff, float[] dst, int dstOff) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = (float) src[srcOff + i];
        }
    }

    @Override
    public void toDoubles(int n, float[] src, int srcOff, double[] dst, int dstOff) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = src[srcOff + i];
        }
    }

    @Override
    public void gemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, double beta, float[] c, int cOff, int ldc) {
        if (simd) {
            Gemm.gemmSimd(team, ta, tb, m, n, k, (float) alpha, a, aOff, lda, b, bOff, ldb, (float) beta, c, cOff, ldc);
        } else {
            Gemm.gemmScalar(team, ta, tb, m, n, k, (float) alpha, a, aOff, lda, b, bOff, ldb, (float) beta, c, cOff, ldc);
        }
    }

    @Override
    public int packedSize(int k, int n) {
        return PackedGemm.packedSize(k, n);
    }

    @Override
    public void packRight(Transpose tb, int k, int n, int j0, int j1, float[] b, int bOff, int ldb, float[] packed, int pOff) {
        PackedGemm.pack(tb, k, n, j0, j1, b, bOff, ldb, packed, pOff);
    }

    @Override
    public void gemmPacked(int m, int n, int k, int j0, int j1, float[] a, int aOff, int lda, float[] packed, int pOff,
                           double beta, float[] c, int cOff, int ldc) {
        if (simd) PackedGemm.gemmSimd(m, n, k, j0, j1, a, aOff, lda, packed, pOff, (float) beta, c, cOff, ldc);
        else PackedGemm.gemmScalar(m, n, k, j0, j1, a, aOff, lda, packed, pOff, (float) beta, c, cOff, ldc);
    }

    @Override
    public void axpy(int n, double alpha, float[] x, int xOff, float[] y, int yOff) {
        if (simd) VectorMath.axpySimd(n, (float) alpha, x, xOff, y, yOff);
        else VectorMath.axpyScalar(n, (float) alpha, x, xOff, y, yOff);
    }

    @Override
    public void scale(int n, double alpha, float[] x, int xOff) {
        if (simd) VectorMath.scaleSimd(n, (float) alpha, x, xOff);
        else VectorMath.scaleScalar(n, (float) alpha, x, xOff);
    }

    @Override
    public double dot(int n, float[] x, int xOff, float[] y, int yOff) {
        return simd ? VectorMath.dotSimd(n, x, xOff, y, yOff) : VectorMath.dotScalar(n, x, xOff, y, yOff);
    }

    @Override
    public double sum(int n, float[] x, int xOff) {
        return simd ? VectorMath.sumSimd(n, x, xOff) : VectorMath.sumScalar(n, x, xOff);
    }

    @Override
    public double sumSquares(int n, float[] x, int xOff) {
        return simd ? VectorMath.sumSquaresSimd(n, x, xOff) : VectorMath.sumSquaresScalar(n, x, xOff);
    }

    @Override
    public double max(int n, float[] x, int xOff) {
        return simd ? VectorMath.maxSimd(n, x, xOff) : VectorMath.maxScalar(n, x, xOff);
    }

    @Override
    public int argmax(int n, float[] x, int xOff) {
        return simd ? VectorMath.argmaxSimd(n, x, xOff) : VectorMath.argmaxScalar(n, x, xOff);
    }

    @Override
    public void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (simd) VectorMath.addSimd(n, x, xOff, y, yOff, z, zOff);
        else VectorMath.addScalar(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void sub(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (simd) VectorMath.subSimd(n, x, xOff, y, yOff, z, zOff);
        else VectorMath.subScalar(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (simd) VectorMath.mulSimd(n, x, xOff, y, yOff, z, zOff);
        else VectorMath.mulScalar(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void addMul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (simd) VectorMath.addMulSimd(n, x, xOff, y, yOff, z, zOff);
        else VectorMath.addMulScalar(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void addRowVector(int rows, int cols, float[] v, int vOff, float[] c, int cOff, int ldc) {
        if (simd) VectorMath.addRowVectorSimd(rows, cols, v, vOff, c, cOff, ldc);
        else VectorMath.addRowVectorScalar(rows, cols, v, vOff, c, cOff, ldc);
    }

    @Override
    public void addTransposed(int rows, int cols, float[] a, int aOff, int lda, float[] c, int cOff, int ldc) {
        // 16×16 blocks: the rows of A read and the rows of C written in a block stay in L1
        for (int i0 = 0; i0 < rows; i0 += 16) {
            int i1 = Math.min(rows, i0 + 16);
            for (int j0 = 0; j0 < cols; j0 += 16) {
                int j1 = Math.min(cols, j0 + 16);
                for (int j = j0; j < j1; j++) {
                    int cj = cOff + j * ldc;
                    for (int i = i0; i < i1; i++) {
                        c[cj + i] += a[aOff + i * lda + j];
                    }
                }
            }
        }
    }

    @Override
    public void addColumnSums(int rows, int cols, float[] a, int aOff, int lda, float[] out, int outOff) {
        if (simd) VectorMath.addColumnSumsSimd(rows, cols, a, aOff, lda, out, outOff);
        else VectorMath.addColumnSumsScalar(rows, cols, a, aOff, lda, out, outOff);
    }

    @Override
    public void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
        if (simd) Activations.sigmoidSimd(n, x, xOff, y, yOff);
        else Activations.sigmoidScalar(n, x, xOff, y, yOff);
    }

    @Override
    public void tanh(int n, float[] x, int xOff, float[] y, int yOff) {
        if (simd) Activations.tanhSimd(n, x, xOff, y, yOff);
        else Activations.tanhScalar(n, x, xOff, y, yOff);
    }

    @Override
    public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        if (simd) Activations.reluSimd(n, x, xOff, y, yOff);
        else Activations.reluScalar(n, x, xOff, y, yOff);
    }

    @Override
    public void softplus(int n, float[] x, int xOff, float[] y, int yOff) {
        if (simd) Activations.softplusSimd(n, x, xOff, y, yOff);
        else Activations.softplusScalar(n, x, xOff, y, yOff);
    }

    @Override
    public void silu(int n, float[] x, int xOff, float[] y, int yOff) {
        if (simd) Activations.siluSimd(n, x, xOff, y, yOff);
        else Activations.siluScalar(n, x, xOff, y, yOff);
    }

    @Override
    public void exp(int n, float[] x, int xOff, float[] y, int yOff) {
        if (simd) Activations.expSimd(n, x, xOff, y, yOff);
        else Activations.expScalar(n, x, xOff, y, yOff);
    }

    @Override
    public void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (simd) Activations.sigmoidBackwardSimd(n, y, yOff, dy, dyOff, dx, dxOff);
        else Activations.sigmoidBackwardScalar(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (simd) Activations.tanhBackwardSimd(n, y, yOff, dy, dyOff, dx, dxOff);
        else Activations.tanhBackwardScalar(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (simd) Activations.reluBackwardSimd(n, y, yOff, dy, dyOff, dx, dxOff);
        else Activations.reluBackwardScalar(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void softplusBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (simd) Activations.softplusBackwardSimd(n, x, xOff, dy, dyOff, dx, dxOff);
        else Activations.softplusBackwardScalar(n, x, xOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void siluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (simd) Activations.siluBackwardSimd(n, x, xOff, dy, dyOff, dx, dxOff);
        else Activations.siluBackwardScalar(n, x, xOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        if (simd) Activations.logSoftmaxSimd(rows, cols, x, xOff, ldx, y, yOff, ldy);
        else Activations.logSoftmaxScalar(rows, cols, x, xOff, ldx, y, yOff, ldy);
    }

    @Override
    public String toString() {
        return "F32Ops[simd=" + simd + ", threads=" + (team == null ? 1 : team.size()) + "]";
    }
}
