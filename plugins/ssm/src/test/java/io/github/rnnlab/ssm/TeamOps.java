package io.github.rnnlab.ssm;

import io.github.rnnlab.kernel.Transpose;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Precision;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEST HELPER: another {@link Ops} (float64 or float32) with a worker team attached, so that the
 * parallel scan runs in float64 too ({@code F64Ops} has no team), and which records the threads that
 * compute exponentials (every decay exp(Δ·A) of the scan is one). Which threads run a team's shares
 * is up to the scheduler (the team's caller runs shares no worker has claimed), so the record says
 * which threads worked, not how the work was cut.
 */
final class TeamOps<A> implements Ops<A> {
    private final Ops<A> base;
    private final WorkerTeam team;
    private final Set<Thread> expThreads = ConcurrentHashMap.newKeySet();

    TeamOps(Ops<A> base, WorkerTeam team) {
        this.base = base;
        this.team = team;
    }

    /** The threads that called {@link #exp} since the last {@link #clearThreads()}. */
    Set<Thread> expThreads() {
        return Set.copyOf(expThreads);
    }

    void clearThreads() {
        expThreads.clear();
    }

    @Override
    public Precision precision() {
        return base.precision();
    }

    @Override
    public boolean simd() {
        return base.simd();
    }

    @Override
    public WorkerTeam team() {
        return team;
    }

    @Override
    public A allocate(int n) {
        return base.allocate(n);
    }

    @Override
    public int length(A a) {
        return base.length(a);
    }

    @Override
    public double get(A a, int i) {
        return base.get(a, i);
    }

    @Override
    public void set(A a, int i, double v) {
        base.set(a, i, v);
    }

    @Override
    public void copy(int n, A src, int srcOff, A dst, int dstOff) {
        base.copy(n, src, srcOff, dst, dstOff);
    }

    @Override
    public void fill(int n, double value, A dst, int dstOff) {
        base.fill(n, value, dst, dstOff);
    }

    @Override
    public void fromDoubles(int n, double[] src, int srcOff, A dst, int dstOff) {
        base.fromDoubles(n, src, srcOff, dst, dstOff);
    }

    @Override
    public void toDoubles(int n, A src, int srcOff, double[] dst, int dstOff) {
        base.toDoubles(n, src, srcOff, dst, dstOff);
    }

    @Override
    public void gemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha, A a, int aOff, int lda,
                     A b, int bOff, int ldb, double beta, A c, int cOff, int ldc) {
        base.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void axpy(int n, double alpha, A x, int xOff, A y, int yOff) {
        base.axpy(n, alpha, x, xOff, y, yOff);
    }

    @Override
    public void scale(int n, double alpha, A x, int xOff) {
        base.scale(n, alpha, x, xOff);
    }

    @Override
    public double dot(int n, A x, int xOff, A y, int yOff) {
        return base.dot(n, x, xOff, y, yOff);
    }

    @Override
    public double sum(int n, A x, int xOff) {
        return base.sum(n, x, xOff);
    }

    @Override
    public double sumSquares(int n, A x, int xOff) {
        return base.sumSquares(n, x, xOff);
    }

    @Override
    public double max(int n, A x, int xOff) {
        return base.max(n, x, xOff);
    }

    @Override
    public int argmax(int n, A x, int xOff) {
        return base.argmax(n, x, xOff);
    }

    @Override
    public void add(int n, A x, int xOff, A y, int yOff, A z, int zOff) {
        base.add(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void sub(int n, A x, int xOff, A y, int yOff, A z, int zOff) {
        base.sub(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void mul(int n, A x, int xOff, A y, int yOff, A z, int zOff) {
        base.mul(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void addMul(int n, A x, int xOff, A y, int yOff, A z, int zOff) {
        base.addMul(n, x, xOff, y, yOff, z, zOff);
    }

    @Override
    public void affine(int n, double alpha, A x, int xOff, double beta, A y, int yOff) {
        base.affine(n, alpha, x, xOff, beta, y, yOff);
    }

    @Override
    public void addRowVector(int rows, int cols, A v, int vOff, A c, int cOff, int ldc) {
        base.addRowVector(rows, cols, v, vOff, c, cOff, ldc);
    }

    @Override
    public void addColumnSums(int rows, int cols, A a, int aOff, int lda, A out, int outOff) {
        base.addColumnSums(rows, cols, a, aOff, lda, out, outOff);
    }

    @Override
    public void sigmoid(int n, A x, int xOff, A y, int yOff) {
        base.sigmoid(n, x, xOff, y, yOff);
    }

    @Override
    public void tanh(int n, A x, int xOff, A y, int yOff) {
        base.tanh(n, x, xOff, y, yOff);
    }

    @Override
    public void relu(int n, A x, int xOff, A y, int yOff) {
        base.relu(n, x, xOff, y, yOff);
    }

    @Override
    public void softplus(int n, A x, int xOff, A y, int yOff) {
        base.softplus(n, x, xOff, y, yOff);
    }

    @Override
    public void silu(int n, A x, int xOff, A y, int yOff) {
        base.silu(n, x, xOff, y, yOff);
    }

    @Override
    public void exp(int n, A x, int xOff, A y, int yOff) {
        expThreads.add(Thread.currentThread());
        base.exp(n, x, xOff, y, yOff);
    }

    @Override
    public void sigmoidBackward(int n, A y, int yOff, A dy, int dyOff, A dx, int dxOff) {
        base.sigmoidBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void tanhBackward(int n, A y, int yOff, A dy, int dyOff, A dx, int dxOff) {
        base.tanhBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void reluBackward(int n, A y, int yOff, A dy, int dyOff, A dx, int dxOff) {
        base.reluBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void softplusBackward(int n, A x, int xOff, A dy, int dyOff, A dx, int dxOff) {
        base.softplusBackward(n, x, xOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void siluBackward(int n, A x, int xOff, A dy, int dyOff, A dx, int dxOff) {
        base.siluBackward(n, x, xOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public void logSoftmax(int rows, int cols, A x, int xOff, int ldx, A y, int yOff, int ldy) {
        base.logSoftmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
    }

    @Override
    public String toString() {
        return base + " with a team of " + (team == null ? 1 : team.size());
    }
}
