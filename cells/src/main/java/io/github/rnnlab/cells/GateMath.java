package io.github.rnnlab.cells;

import io.github.rnnlab.kernel.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The activations of the fused float32 gate kernels ({@link LstmKernels}, {@link GruKernels},
 * {@link ElmanKernels}): the vector constants their loops use and the scalar functions their scalar
 * twins and tails use.
 *
 * <h2>Vector form</h2>
 * One formula serves every gate, {@code act(x) = m·σ(s·x) + c}: σ for s = m = 1, c = 0 and
 * {@code tanh(x) = 2σ(2x) − 1}, with
 * <pre>
 *   σ(y) = 1 / (1 + e^a),  a = −y clamped to [−87, 88]  (e^a finite and normal; σ(−88) ≈ 6·10⁻³⁹, σ(87) = 1)
 *   e^a  = 2ⁿ·p(r),  n = round(a·log₂e),  r = a − n·ln 2 (Cody–Waite, two parts),
 *   p(r) = 1 + r·(1 + r·(E2 + r·(E3 + r·(E4 + r·(E5 + r·E6)))))   (minimax, relative error 1.7·10⁻⁸)
 * </pre>
 * with 2ⁿ built from exponent bits. Each kernel writes the formula out inline in its loop, in
 * lanewise add/mul/fma/div, integer shifts and min/max only (no masked operations, no helper method
 * taking a vector: C2 stops inlining non-JDK methods past its node-count cutoff, and a vector passed to a
 * call that was not inlined is boxed, which allocates in the time loop).
 *
 * <h2>Error</h2>
 * σ: at most about 3 float ulps of its value (e^a to about 2 ulps, then one add and one division), so
 * within 2·10⁻⁷ absolutely. tanh = 2σ(2x) − 1: within 4·10⁻⁷ absolutely, which near x = 0 is a large
 * relative error (the gates and states only ever need it absolutely: the cells' float32 results are
 * checked against float64 relative to each block's scale). NaN propagates. The property tests bound
 * every fused kernel against its scalar twin.
 *
 * <h2>Scalar form</h2>
 * {@link #sigmoid(float)} and {@link #tanh(float)} evaluate in double with {@link Math} and round once.
 */
final class GateMath {
    private GateMath() {
    }

    static final VectorSpecies<Float> F = Simd.FLOATS;
    static final int L = Simd.LANES;
    private static final VectorSpecies<Integer> INTS = F.withLanes(int.class);

    private static final float ROUND_BITS_SOURCE = 12582912f; // 1.5·2²³: a + ROUND rounds a to an integer in the low bits

    static final FloatVector ONE = FloatVector.broadcast(F, 1f);
    static final FloatVector TWO = FloatVector.broadcast(F, 2f);
    static final FloatVector MINUS_ONE = FloatVector.broadcast(F, -1f);
    static final FloatVector ZERO = FloatVector.zero(F);
    /** Clamp of the exponent argument a = −s·x. */
    static final FloatVector A_LO = FloatVector.broadcast(F, -87f), A_HI = FloatVector.broadcast(F, 88f);
    static final FloatVector LOG2E = FloatVector.broadcast(F, 1.44269504088896341f);
    static final FloatVector ROUND = FloatVector.broadcast(F, ROUND_BITS_SOURCE);
    static final FloatVector MINUS_LN2_HI = FloatVector.broadcast(F, -0.693359375f);
    static final FloatVector MINUS_LN2_LO = FloatVector.broadcast(F, 2.12194440e-4f);
    static final FloatVector E2 = FloatVector.broadcast(F, 0x1.fffffcp-2f), E3 = FloatVector.broadcast(F, 0x1.55541ap-3f),
            E4 = FloatVector.broadcast(F, 0x1.55580cp-5f), E5 = FloatVector.broadcast(F, 0x1.126758p-7f),
            E6 = FloatVector.broadcast(F, 0x1.6af7cap-10f);
    /** Bits of ROUND + n minus this are n + 127, the biased exponent of 2ⁿ. */
    static final IntVector EXP_BIAS = IntVector.broadcast(INTS, Float.floatToRawIntBits(ROUND_BITS_SOURCE) - 127);

    /** σ(x) in double, rounded once. */
    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    /** tanh(x) in double, rounded once. */
    static float tanh(float x) {
        return (float) Math.tanh(x);
    }
}
