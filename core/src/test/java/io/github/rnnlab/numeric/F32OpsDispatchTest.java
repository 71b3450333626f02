package io.github.rnnlab.numeric;

import io.github.rnnlab.kernel.Activations;
import io.github.rnnlab.kernel.Simd;
import io.github.rnnlab.kernel.VectorMath;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link F32Ops} runs the SIMD variant when built with {@code simd = true} and the scalar twin when
 * built with {@code simd = false}, for the derivatives, log-softmax and the row/column kernels. Where
 * the twins differ on the input (softplus′, silu′, log-softmax) this tells the two apart; where they are
 * bit-identical it still checks that each operation reaches the right kernel.
 */
class F32OpsDispatchTest {
    private static final int N = 37 * Simd.LANES + 5;
    private final F32Ops simdOps = new F32Ops(true, null);
    private final F32Ops scalarOps = new F32Ops(false, null);
    private final Random rnd = new Random(11);

    private float[] random(int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian() * scale;
        }
        return a;
    }

    /** {@code (n, in, inOff, dy, dyOff, dx, dxOff)}. */
    interface Backward {
        void apply(int n, float[] in, int inOff, float[] dy, int dyOff, float[] dx, int dxOff);
    }

    private void checkBackward(String name, Backward viaSimdOps, Backward viaScalarOps, Backward simd, Backward scalar,
                               float[] in, boolean twinsDiffer) {
        float[] dy = random(N, 1f);
        float[] a = new float[N], b = new float[N], c = new float[N], d = new float[N];
        viaSimdOps.apply(N, in, 0, dy, 0, a, 0);
        viaScalarOps.apply(N, in, 0, dy, 0, b, 0);
        simd.apply(N, in, 0, dy, 0, c, 0);
        scalar.apply(N, in, 0, dy, 0, d, 0);
        assertArrayEquals(c, a, name + ": F32Ops(simd=true) runs the SIMD variant");
        assertArrayEquals(d, b, name + ": F32Ops(simd=false) runs the scalar twin");
        if (twinsDiffer) {
            assertFalse(java.util.Arrays.equals(c, d), name + ": precondition, the twins differ on this input");
        }
    }

    @Test
    void derivativesDispatchOnTheSimdFlag() {
        float[] x = random(N, 4f);
        float[] sig = new float[N], th = new float[N], relu = new float[N];
        Activations.sigmoidScalar(N, x, 0, sig, 0);
        Activations.tanhScalar(N, x, 0, th, 0);
        Activations.reluScalar(N, x, 0, relu, 0);
        checkBackward("sigmoidBackward", simdOps::sigmoidBackward, scalarOps::sigmoidBackward,
                Activations::sigmoidBackwardSimd, Activations::sigmoidBackwardScalar, sig, false);
        checkBackward("tanhBackward", simdOps::tanhBackward, scalarOps::tanhBackward,
                Activations::tanhBackwardSimd, Activations::tanhBackwardScalar, th, false);
        checkBackward("reluBackward", simdOps::reluBackward, scalarOps::reluBackward,
                Activations::reluBackwardSimd, Activations::reluBackwardScalar, relu, false);
        checkBackward("softplusBackward", simdOps::softplusBackward, scalarOps::softplusBackward,
                Activations::softplusBackwardSimd, Activations::softplusBackwardScalar, x, true);
        checkBackward("siluBackward", simdOps::siluBackward, scalarOps::siluBackward,
                Activations::siluBackwardSimd, Activations::siluBackwardScalar, x, true);
    }

    @Test
    void logSoftmaxDispatchesOnTheSimdFlag() {
        int rows = 41, cols = 3 * Simd.LANES + 3; // each row's lse rounds differently with some probability
        float[] x = random(rows * cols, 1f);
        float[] a = new float[x.length], b = new float[x.length], c = new float[x.length], d = new float[x.length];
        simdOps.logSoftmax(rows, cols, x, 0, cols, a, 0, cols);
        scalarOps.logSoftmax(rows, cols, x, 0, cols, b, 0, cols);
        Activations.logSoftmaxSimd(rows, cols, x, 0, cols, c, 0, cols);
        Activations.logSoftmaxScalar(rows, cols, x, 0, cols, d, 0, cols);
        assertArrayEquals(c, a);
        assertArrayEquals(d, b);
        assertFalse(java.util.Arrays.equals(c, d), "precondition: the twins differ on this input");
    }

    @Test
    void rowAndColumnKernelsDispatchOnTheSimdFlag() {
        int rows = 5, cols = 3 * Simd.LANES + 7, ld = cols + 2;
        float[] m = random(rows * ld, 1f), v = random(cols, 1f);
        float[] a = m.clone(), b = m.clone(), c = m.clone(), d = m.clone();
        simdOps.addRowVector(rows, cols, v, 0, a, 0, ld);
        scalarOps.addRowVector(rows, cols, v, 0, b, 0, ld);
        VectorMath.addRowVectorSimd(rows, cols, v, 0, c, 0, ld);
        VectorMath.addRowVectorScalar(rows, cols, v, 0, d, 0, ld);
        assertArrayEquals(c, a);
        assertArrayEquals(d, b);
        assertFalse(java.util.Arrays.equals(m, a), "the rows changed");

        float[] out = random(cols, 1f);
        float[] oa = out.clone(), ob = out.clone(), oc = out.clone(), od = out.clone();
        simdOps.addColumnSums(rows, cols, m, 0, ld, oa, 0);
        scalarOps.addColumnSums(rows, cols, m, 0, ld, ob, 0);
        VectorMath.addColumnSumsSimd(rows, cols, m, 0, ld, oc, 0);
        VectorMath.addColumnSumsScalar(rows, cols, m, 0, ld, od, 0);
        assertArrayEquals(oc, oa);
        assertArrayEquals(od, ob);
        assertFalse(java.util.Arrays.equals(out, oa), "the sums changed out");
    }
}
