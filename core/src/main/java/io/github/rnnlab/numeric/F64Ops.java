package io.github.rnnlab.numeric;

import io.github.rnnlab.kernel.DoubleKernels;
import io.github.rnnlab.kernel.Transpose;
import io.github.rnnlab.kernel.WorkerTeam;

import java.util.Arrays;

/** float64 {@link Ops}: the reference path for gradient checks, on {@link DoubleKernels}, single-threaded. */
public final class F64Ops implements Ops<double[]> {
    /** The one instance (it has no state). */
    public static final F64Ops INSTANCE = new F64Ops();

    private F64Ops() {
    }

    @Override
    public Precision precision() {
        return Precision.F64;
    }

    @Override
    public boolean simd() {
        return false;
    }

    @Override
    public WorkerTeam team() {
        return null;
    }

    @Override
    public double[] allocate(int n) {
        return new double[n];
    }

    @Override
    public int length(double[] a) {
        return a.length;
    }

    @Override
    public double get(double[] a, int i) {
        return a[i];
    }

    @Override
    public void set(double[] a, int i, double v) {
        a[i] = v;
    }

    @Override
    public void copy(int n, double[] src, int srcOff, double[] dst, int dstOff) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void fill(int n, double value, double[] dst, int dstOff) {
        Arrays.fill(dst, dstOff, dstOff + n, value);
    }

    @Override
    public void fromDoubles(int n, double[] src, int srcOff, double[] dst, int dstOff) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void toDoubles(int n, double[] src, int srcOff, double[] dst, int dstOff) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }

    @Override
    public void gemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        DoubleKernels.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        DoubleKernels.axpy(n, alpha, x, xOff, y, yOff);
    }

    @Override
    public void scale(int n, double alpha, double[] x, int xOff) {
        DoubleKernels.scale(n, alpha, x, xOff);
    }

    @Override
    public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
        return DoubleKernels.dot(n, x, xOff, y, yOff);
    }

    @Override
    public double sum(int n, double[] x, int xOff) {
        return DoubleKernels.sum(n, x, xOff);
    }

    @Override
    public double sumSquares(int n, double[] x, int xOff) {
        return DoubleKernels.sumSquares(n, x, xOff);
    }

    @Override
    public double max(int n, double[] x, int xOff) {
        return DoubleKernels.max(n, x, xOff);
    }

    @Override
    public int argmax(int n, double[] x, int xOff) {
        return DoubleKernels.argmax(n, x, xOff);
    }

    @Override
    public void add(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        DoubleKernels.add(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void sub(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        DoubleKernels.sub(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void mul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        DoubleKernels.mul(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void addMul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
        DoubleKernels.addMul(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void addRowVector(int rows, int cols, double[] v, int vOff, double[] c, int cOff, int ldc) {
        DoubleKernels.addRowVector(rows, cols, v, vOff, c, cOff, ldc);
    }

    @Override
    public void addColumnSums(int rows, int cols, double[] a, int aOff, int lda, double[] out, int outOff) {
        DoubleKernels.addColumnSums(rows, cols, a, aOff, lda, out, outOff);
    }

    @Override
    public void sigmoid(int n, double[] x, int xOff, double[] y, int yOff) {
        DoubleKernels.sigmoid(n, x, xOff, y, yOff);
    }

    @Override
    public void tanh(int n, double[] x, int xOff, double[] y, int yOff) {
        DoubleKernels.tanh(n, x, xOff, y, yOff);
    }

    @Override
    public void relu(int n, double[] x, int xOff, double[] y, int yOff) {
        DoubleKernels.relu(n, x, xOff, y, yOff);
    }

    @Override
    public void softplus(int n, double[] x, int xOff, double[] y, int yOff) {
        DoubleKernels.softplus(n, x, xOff, y, yOff);
    }

    @Override
    public void silu(int n, double[] x, int xOff, double[] y, int yOff) {
        DoubleKernels.silu(n, x, xOff, y, yOff);
    }

    @Override
    public void exp(int n, double[] x, int xOff, double[] y, int yOff) {
        DoubleKernels.exp(n, x, xOff, y, yOff);
    }

    @Override
    public void sigmoidBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        DoubleKernels.sigmoidBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void tanhBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        DoubleKernels.tanhBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void reluBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        DoubleKernels.reluBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void softplusBackward(int n, double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        DoubleKernels.softplusBackward(n, x, xOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void siluBackward(int n, double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        DoubleKernels.siluBackward(n, x, xOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void logSoftmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        DoubleKernels.logSoftmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
    }

    @Override
    public String toString() {
        return "F64Ops";
    }
}
