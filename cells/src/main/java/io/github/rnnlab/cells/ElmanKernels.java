package io.github.rnnlab.cells;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.github.rnnlab.cells.GateMath.A_HI;
import static io.github.rnnlab.cells.GateMath.A_LO;
import static io.github.rnnlab.cells.GateMath.E2;
import static io.github.rnnlab.cells.GateMath.E3;
import static io.github.rnnlab.cells.GateMath.E4;
import static io.github.rnnlab.cells.GateMath.E5;
import static io.github.rnnlab.cells.GateMath.E6;
import static io.github.rnnlab.cells.GateMath.EXP_BIAS;
import static io.github.rnnlab.cells.GateMath.F;
import static io.github.rnnlab.cells.GateMath.L;
import static io.github.rnnlab.cells.GateMath.LOG2E;
import static io.github.rnnlab.cells.GateMath.MINUS_LN2_HI;
import static io.github.rnnlab.cells.GateMath.MINUS_LN2_LO;
import static io.github.rnnlab.cells.GateMath.MINUS_ONE;
import static io.github.rnnlab.cells.GateMath.ONE;
import static io.github.rnnlab.cells.GateMath.ROUND;
import static io.github.rnnlab.cells.GateMath.TWO;
import static io.github.rnnlab.cells.GateMath.ZERO;

/**
 * The fused float32 step of the {@link Elman} cell for {@code rows} consecutive batch rows, H =
 * {@code hidden}, the pre-activation {@code pre = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh} (H per row):
 * <pre>
 *   forward:  h_t = act(pre)                       act = tanh (2σ(2x) − 1) or relu (max(x, 0))
 *   backward: d pre = dh ⊙ act'(pre)              tanh: 1 − h_t²;  relu: [h_t &gt; 0]
 *             dh_{t−1} (direct part) = 0
 * </pre>
 * Each kernel also comes with a {@code units} argument: then it handles only {@code units} hidden units
 * of every row, from the offsets given (strides stay those of H), for a team splitting a step by units.
 * {@code ...Simd}: Vector API loops (tanh as in {@link GateMath}; scalar tails, no masked operations,
 * no allocation); {@code ...Scalar}: the scalar twins.
 */
public final class ElmanKernels {
    private ElmanKernels() {
    }

    /**
     * Vector API: Elman forward of {@code rows} rows: {@code h = act(pre)}.
     *
     * @param tanh  true for tanh, false for relu
     * @param pre   row r's pre-activation (H) at {@code preOff + r·H}; not modified
     * @param state written: row r's h_t at {@code nextOff + r·H}
     */
    public static void forwardSimd(boolean tanh, int hidden, int rows, float[] pre, int preOff, float[] state, int nextOff) {
        forwardSimd(tanh, hidden, hidden, rows, pre, preOff, state, nextOff);
    }

    /** Vector API {@link #forwardSimd} of {@code units} hidden units per row (offsets at the first of them). */
    public static void forwardSimd(boolean tanh, int hidden, int units, int rows, float[] pre, int preOff, float[] state,
                                   int nextOff) {
        int h = hidden, bound = F.loopBound(units);
        for (int row = 0; row < rows; row++) {
            int x0 = preOff + row * h, n0 = nextOff + row * h;
            int j = 0;
            if (tanh) {
                for (; j < bound; j += L) {
                    FloatVector a = FloatVector.fromArray(F, pre, x0 + j).mul(-2f).max(A_LO).min(A_HI);
                    FloatVector z = a.fma(LOG2E, ROUND);
                    FloatVector n = z.sub(ROUND);
                    FloatVector r = n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, a));
                    FloatVector p = r.fma(E6, E5).fma(r, E4).fma(r, E3).fma(r, E2).fma(r, ONE).fma(r, ONE);
                    FloatVector e = p.mul(z.reinterpretAsInts().sub(EXP_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                    ONE.div(e.add(ONE)).fma(TWO, MINUS_ONE).intoArray(state, n0 + j);
                }
            } else {
                for (; j < bound; j += L) {
                    FloatVector.fromArray(F, pre, x0 + j).max(ZERO).intoArray(state, n0 + j);
                }
            }
            forwardTail(tanh, units, j, pre, x0, state, n0);
        }
    }

    /** Scalar twin of {@link #forwardSimd}. */
    public static void forwardScalar(boolean tanh, int hidden, int rows, float[] pre, int preOff, float[] state, int nextOff) {
        forwardScalar(tanh, hidden, hidden, rows, pre, preOff, state, nextOff);
    }

    /** Scalar twin of the units variant of {@link #forwardSimd}. */
    public static void forwardScalar(boolean tanh, int hidden, int units, int rows, float[] pre, int preOff, float[] state,
                                     int nextOff) {
        for (int row = 0; row < rows; row++) {
            forwardTail(tanh, units, 0, pre, preOff + row * hidden, state, nextOff + row * hidden);
        }
    }

    private static void forwardTail(boolean tanh, int units, int j0, float[] pre, int x0, float[] state, int n0) {
        for (int j = j0; j < units; j++) {
            state[n0 + j] = tanh ? GateMath.tanh(pre[x0 + j]) : Math.max(pre[x0 + j], 0f);
        }
    }

    /**
     * Vector API: Elman backward of {@code rows} rows.
     *
     * @param state row r's h_t at {@code nextOff + r·H}; not modified
     * @param dNext dL/d h_t (output gradient included) at {@code dNextOff + r·H}; not modified
     * @param dPre  written: dL/d pre at {@code dPreOff + r·H}
     * @param dPrev written: 0 (the direct part of dL/d h_{t−1}) at {@code dPrevOff + r·H}
     */
    public static void backwardSimd(boolean tanh, int hidden, int rows, float[] state, int nextOff, float[] dNext, int dNextOff,
                                    float[] dPre, int dPreOff, float[] dPrev, int dPrevOff) {
        backwardSimd(tanh, hidden, hidden, rows, state, nextOff, dNext, dNextOff, dPre, dPreOff, dPrev, dPrevOff);
    }

    /** Vector API {@link #backwardSimd} of {@code units} hidden units per row (offsets at the first of them). */
    public static void backwardSimd(boolean tanh, int hidden, int units, int rows, float[] state, int nextOff, float[] dNext,
                                    int dNextOff, float[] dPre, int dPreOff, float[] dPrev, int dPrevOff) {
        int h = hidden, bound = F.loopBound(units);
        for (int row = 0; row < rows; row++) {
            int n0 = nextOff + row * h, d0 = dNextOff + row * h, g0 = dPreOff + row * h, q0 = dPrevOff + row * h;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector y = FloatVector.fromArray(F, state, n0 + j);
                FloatVector dy = FloatVector.fromArray(F, dNext, d0 + j);
                FloatVector dx = tanh ? dy.mul(ONE.sub(y.mul(y))) : ZERO.blend(dy, y.compare(VectorOperators.GT, ZERO));
                dx.intoArray(dPre, g0 + j);
                ZERO.intoArray(dPrev, q0 + j);
            }
            backwardTail(tanh, units, j, state, n0, dNext, d0, dPre, g0, dPrev, q0);
        }
    }

    /** Scalar twin of {@link #backwardSimd}. */
    public static void backwardScalar(boolean tanh, int hidden, int rows, float[] state, int nextOff, float[] dNext, int dNextOff,
                                      float[] dPre, int dPreOff, float[] dPrev, int dPrevOff) {
        backwardScalar(tanh, hidden, hidden, rows, state, nextOff, dNext, dNextOff, dPre, dPreOff, dPrev, dPrevOff);
    }

    /** Scalar twin of the units variant of {@link #backwardSimd}. */
    public static void backwardScalar(boolean tanh, int hidden, int units, int rows, float[] state, int nextOff, float[] dNext,
                                      int dNextOff, float[] dPre, int dPreOff, float[] dPrev, int dPrevOff) {
        for (int row = 0; row < rows; row++) {
            backwardTail(tanh, units, 0, state, nextOff + row * hidden, dNext, dNextOff + row * hidden,
                    dPre, dPreOff + row * hidden, dPrev, dPrevOff + row * hidden);
        }
    }

    private static void backwardTail(boolean tanh, int units, int j0, float[] state, int n0, float[] dNext, int d0,
                                     float[] dPre, int g0, float[] dPrev, int q0) {
        for (int j = j0; j < units; j++) {
            float y = state[n0 + j], dy = dNext[d0 + j];
            dPre[g0 + j] = tanh ? dy * (1f - y * y) : y > 0f ? dy : 0f;
            dPrev[q0 + j] = 0f;
        }
    }
}
