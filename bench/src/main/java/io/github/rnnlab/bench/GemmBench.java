package io.github.rnnlab.bench;

import io.github.rnnlab.kernel.Gemm;
import io.github.rnnlab.kernel.Transpose;
import io.github.rnnlab.kernel.WorkerTeam;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/*
 * What it measures: the time of one float32 C = op(A)·op(B) (β = 0) through Gemm.gemmSimd or
 * Gemm.gemmScalar, split across a WorkerTeam of `threads` members, for square sizes (including 257,
 * not a multiple of the 16 lanes or the 12×32 micro-tile) and the shapes of one recurrent step:
 * batch × input · input × 4·hidden (64×128·128×1024, 64×256·256×1024, 1×256·256×1024).
 * `shape` is m x n x k; `trans` is NN (A·B) or NT (A·Bᵀ, PyTorch's x·Wᵀ with W stored 4H×n).
 * GFLOP/s = 2·m·n·k / (seconds per op); bench/compare-jdks' report prints it.
 *
 * JIT pitfalls avoided: operands live in @State fields filled once from a seeded generator (no
 * constant folding, no allocation or initialisation inside the measured method); the product is
 * returned, so JMH sinks it and it cannot be eliminated as dead code; β = 0, so repeated calls do not
 * grow C towards overflow or denormals; the team's threads are started in @Setup(Trial) and stopped
 * in @TearDown, so thread start-up is not measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {

    @Param({"64x64x64", "128x128x128", "256x256x256", "257x257x257", "512x512x512", "1024x1024x1024",
            "64x1024x128", "64x1024x256", "1x1024x256"})
    public String shape;

    @Param({"NN", "NT"})
    public String trans;

    @Param({"1", "2"})
    public int threads;

    @Param({"simd", "scalar"})
    public String impl;

    private int m, n, k, lda, ldb;
    private Transpose tb;
    private boolean simd;
    private float[] a, b, c;
    private WorkerTeam team;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = shape(shape);
        m = s[0];
        n = s[1];
        k = s[2];
        tb = trans.equals("NT") ? Transpose.YES : Transpose.NO;
        lda = k;
        ldb = tb == Transpose.NO ? n : k;
        simd = switch (impl) {
            case "simd" -> true;
            case "scalar" -> false;
            default -> throw new IllegalArgumentException("impl: expected simd or scalar, got " + impl);
        };
        a = random(m * k, 1);
        b = random(k * n, 2);
        c = new float[m * n];
        team = new WorkerTeam(threads);
        Species.log();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        team.close();
    }

    @Benchmark
    public float[] gemm() {
        if (simd) {
            Gemm.gemmSimd(team, Transpose.NO, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        } else {
            Gemm.gemmScalar(team, Transpose.NO, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        }
        return c;
    }

    /** "m x n x k" as written in {@link #shape} ({@code 64x1024x128}). */
    static int[] shape(String s) {
        String[] p = s.split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException("shape: expected m x n x k such as 64x1024x128, got " + s);
        }
        return new int[]{Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }
}
