package io.github.rnnlab.bench;

import io.github.rnnlab.kernel.Activations;
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

import java.util.concurrent.TimeUnit;

/*
 * What it measures: the time of one elementwise activation y = f(x) over n floats, the Vector API
 * kernel (Activations.*Simd) against its scalar twin (*Scalar). n = 1024 is one LSTM gate block of
 * the W1 workload (4·256), 1031 adds a tail that is not a multiple of the lane count, 65536 a large
 * batch. Report: time per call; elements per ns = n / time.
 *
 * JIT pitfalls avoided: the input is a @State array of values spread over the functions' interesting
 * range (−8…8, so neither saturated nor all near zero), generated once; the output array is returned
 * so the computation cannot be dead-code eliminated; the function and variant are chosen by a
 * switch on @Param strings resolved once per trial into an int, so every call site stays monomorphic.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ActivationBench {

    @Param({"sigmoid", "tanh", "relu", "silu", "softplus", "exp"})
    public String fn;

    @Param({"simd", "scalar"})
    public String impl;

    @Param({"1024", "1031", "65536"})
    public int n;

    private float[] x, y;
    private int which;

    @Setup(Level.Trial)
    public void setUp() {
        x = GemmBench.random(n, 3);
        for (int i = 0; i < n; i++) {
            x[i] *= 8;
        }
        y = new float[n];
        int f = switch (fn) {
            case "sigmoid" -> 0;
            case "tanh" -> 1;
            case "relu" -> 2;
            case "silu" -> 3;
            case "softplus" -> 4;
            case "exp" -> 5;
            default -> throw new IllegalArgumentException("fn: expected sigmoid, tanh, relu, silu, softplus or exp, got " + fn);
        };
        which = 2 * f + (impl.equals("simd") ? 0 : 1);
        Species.log();
    }

    @Benchmark
    public float[] activation() {
        switch (which) {
            case 0 -> Activations.sigmoidSimd(n, x, 0, y, 0);
            case 1 -> Activations.sigmoidScalar(n, x, 0, y, 0);
            case 2 -> Activations.tanhSimd(n, x, 0, y, 0);
            case 3 -> Activations.tanhScalar(n, x, 0, y, 0);
            case 4 -> Activations.reluSimd(n, x, 0, y, 0);
            case 5 -> Activations.reluScalar(n, x, 0, y, 0);
            case 6 -> Activations.siluSimd(n, x, 0, y, 0);
            case 7 -> Activations.siluScalar(n, x, 0, y, 0);
            case 8 -> Activations.softplusSimd(n, x, 0, y, 0);
            case 9 -> Activations.softplusScalar(n, x, 0, y, 0);
            case 10 -> Activations.expSimd(n, x, 0, y, 0);
            default -> Activations.expScalar(n, x, 0, y, 0);
        }
        return y;
    }
}
