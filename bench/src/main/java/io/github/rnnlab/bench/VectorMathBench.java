package io.github.rnnlab.bench;

import io.github.rnnlab.kernel.Transpose;
import io.github.rnnlab.kernel.VectorMath;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/*
 * What it measures: a few VectorMath kernels, Vector API variant against scalar twin: the BLAS-1
 * axpy (y += α·x), dot (Σ x·y), sumSquares (Σ x², the gradient-norm reduction), addMul (z += x ⊙ y,
 * the LSTM cell update), over n floats; and gemv, y = W·x (NO) or y = Wᵀ·x (YES), with W of
 * n × 256 (n = 1024: an LSTM's 4·256 gate rows over a 256-wide input, one sequence per step).
 *
 * JIT pitfalls avoided: inputs are @State arrays filled once; results go to a Blackhole (the float
 * of a reduction unboxed, or the written array), so nothing is dead code; axpy and addMul use α and x small
 * enough (1e-3 scale) that y does not overflow over billions of repetitions; the kernel is chosen by
 * an int resolved once per trial, so each call site stays monomorphic.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class VectorMathBench {

    @Param({"axpy", "dot", "sumSquares", "addMul", "gemvN", "gemvT"})
    public String op;

    @Param({"simd", "scalar"})
    public String impl;

    @Param({"1024", "1031"})
    public int n;

    static final int GEMV_WIDTH = 256;

    private float[] x, y, z, w, v;
    private int which;

    @Setup(Level.Trial)
    public void setUp() {
        x = GemmBench.random(n, 4);
        y = GemmBench.random(n, 5);
        z = new float[n];
        w = GemmBench.random(n * GEMV_WIDTH, 6);
        v = GemmBench.random(Math.max(n, GEMV_WIDTH), 7);
        for (int i = 0; i < n; i++) {
            x[i] *= 1e-3f;
        }
        int k = switch (op) {
            case "axpy" -> 0;
            case "dot" -> 1;
            case "sumSquares" -> 2;
            case "addMul" -> 3;
            case "gemvN" -> 4;
            case "gemvT" -> 5;
            default -> throw new IllegalArgumentException("op: expected axpy, dot, sumSquares, addMul, gemvN or gemvT, got " + op);
        };
        which = k + (impl.equals("simd") ? 0 : 6);
        Species.log();
    }

    @Benchmark
    public void kernel(Blackhole bh) {
        switch (which) {
            case 0 -> { VectorMath.axpySimd(n, 1e-3f, x, 0, y, 0); bh.consume(y); }
            case 1 -> bh.consume(VectorMath.dotSimd(n, x, 0, y, 0));
            case 2 -> bh.consume(VectorMath.sumSquaresSimd(n, x, 0));
            case 3 -> { VectorMath.addMulSimd(n, x, 0, y, 0, z, 0); bh.consume(z); }
            case 4 -> { VectorMath.gemvSimd(Transpose.NO, n, GEMV_WIDTH, 1f, w, 0, GEMV_WIDTH, v, 0, 0f, z, 0); bh.consume(z); }
            case 5 -> { VectorMath.gemvSimd(Transpose.YES, n, GEMV_WIDTH, 1f, w, 0, n, v, 0, 0f, z, 0); bh.consume(z); }
            case 6 -> { VectorMath.axpyScalar(n, 1e-3f, x, 0, y, 0); bh.consume(y); }
            case 7 -> bh.consume(VectorMath.dotScalar(n, x, 0, y, 0));
            case 8 -> bh.consume(VectorMath.sumSquaresScalar(n, x, 0));
            case 9 -> { VectorMath.addMulScalar(n, x, 0, y, 0, z, 0); bh.consume(z); }
            case 10 -> { VectorMath.gemvScalar(Transpose.NO, n, GEMV_WIDTH, 1f, w, 0, GEMV_WIDTH, v, 0, 0f, z, 0); bh.consume(z); }
            default -> { VectorMath.gemvScalar(Transpose.YES, n, GEMV_WIDTH, 1f, w, 0, n, v, 0, 0f, z, 0); bh.consume(z); }
        }
    }
}
