package io.github.rnnlab.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Random;

/**
 * A quick JMH-free speed check of the activation kernels (SIMD vs scalar twin, and against
 * {@code lanewise(VectorOperators.EXP/TANH)}) on n = 4096 Gaussian inputs (σ = 4). Not a test and not a
 * benchmark (those are JMH, in the bench module): it exists to reproduce the figures quoted when the
 * kernels were chosen. Reports the best of several timed rounds after warm-up, in ns per call.
 *
 * <pre>
 * mvn -q -B -pl core -am test-compile
 * java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes \
 *      io.github.rnnlab.kernel.ActivationSpeedCheck
 * </pre>
 */
public final class ActivationSpeedCheck {
    private static final VectorSpecies<Float> S = Simd.FLOATS;

    private ActivationSpeedCheck() {
    }

    /** e^x via the JDK's lanewise EXP (SVML stubs on x86 where available). */
    static void lanewiseExp(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.EXP).intoArray(y, yOff + i);
        }
        Activations.expScalar(n - i, x, xOff + i, y, yOff + i);
    }

    /** σ(x) = 1/(1 + e^(−x)) via the JDK's lanewise EXP (no care for overflow: σ(−∞) = 0 through 1/∞). */
    static void lanewiseSigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector e = FloatVector.fromArray(S, x, xOff + i).neg().lanewise(VectorOperators.EXP);
            one.div(e.add(one)).intoArray(y, yOff + i);
        }
        Activations.sigmoidScalar(n - i, x, xOff + i, y, yOff + i);
    }

    /** tanh via the JDK's lanewise TANH. */
    static void lanewiseTanh(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.TANH).intoArray(y, yOff + i);
        }
        Activations.tanhScalar(n - i, x, xOff + i, y, yOff + i);
    }

    private static double nanosPerCall(Activation.Kernel k, float[] x, float[] y, int reps, int rounds) {
        long best = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                k.apply(x.length, x, 0, y, 0);
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / (double) reps;
    }

    public static void main(String[] args) {
        int n = 4096;
        float[] x = new float[n], y = new float[n];
        Random rnd = new Random(1);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * 4);
        }
        String[] names = {"exp simd", "exp scalar", "exp lanewise(EXP)", "sigmoid simd", "sigmoid scalar",
                "sigmoid lanewise(EXP)", "tanh simd", "tanh scalar", "tanh lanewise(TANH)", "softplus simd",
                "softplus scalar", "silu simd", "silu scalar"};
        Activation.Kernel[] kernels = {Activations::expSimd, Activations::expScalar, ActivationSpeedCheck::lanewiseExp,
                Activations::sigmoidSimd, Activations::sigmoidScalar, ActivationSpeedCheck::lanewiseSigmoid,
                Activations::tanhSimd, Activations::tanhScalar, ActivationSpeedCheck::lanewiseTanh,
                Activations::softplusSimd, Activations::softplusScalar, Activations::siluSimd, Activations::siluScalar};
        for (int w = 0; w < 3; w++) { // warm-up: every kernel compiled before any is timed
            for (Activation.Kernel k : kernels) {
                nanosPerCall(k, x, y, 2000, 1);
            }
        }
        double[] best = new double[kernels.length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < 5; round++) { // interleaved, so that load from other processes hits all alike
            for (int j = 0; j < kernels.length; j++) {
                int reps = names[j].endsWith("scalar") ? 200 : 4000;
                best[j] = Math.min(best[j], nanosPerCall(kernels[j], x, y, reps, 3));
            }
        }
        System.out.println("java " + System.getProperty("java.version") + ", " + Simd.describe() + ", n = " + n);
        for (int j = 0; j < kernels.length; j++) {
            System.out.printf("%-24s %9.0f ns/call %7.3f ns/element%n", names[j], best[j], best[j] / n);
        }
        // the classifier head of the peer workloads: 64 rows of V = 65 logits
        int rows = 64, cols = 65;
        float[] logits = new float[rows * cols], out = new float[rows * cols];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (rnd.nextGaussian() * 3);
        }
        Activation.Kernel simd = (m, a, ao, b, bo) -> Activations.logSoftmaxSimd(rows, cols, a, ao, cols, b, bo, cols);
        Activation.Kernel scalar = (m, a, ao, b, bo) -> Activations.logSoftmaxScalar(rows, cols, a, ao, cols, b, bo, cols);
        double bestSimd = Double.MAX_VALUE, bestScalar = Double.MAX_VALUE;
        for (int round = 0; round < 8; round++) {
            bestSimd = Math.min(bestSimd, nanosPerCall(simd, logits, out, 2000, 3));
            bestScalar = Math.min(bestScalar, nanosPerCall(scalar, logits, out, 200, 3));
        }
        System.out.printf("%-24s %9.0f ns/call%n%-24s %9.0f ns/call%n", "logSoftmax 64x65 simd", bestSimd,
                "logSoftmax 64x65 scalar", bestScalar);
    }
}
