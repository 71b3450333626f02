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

/**
 * The fused float32 gate math of the {@link Gru} cell, for {@code rows} consecutive batch rows of one
 * step. Gate order r, z, n; H = {@code hidden}; per row the input projection {@code xp} and the
 * recurrent projection {@code hp} (3H each, separate), the state h (H) and the tape
 * {@code r|z|n|hn} (4H, hn = {@code W_hn h_{t−1} + b_hn}):
 * <pre>
 *   forward:  r, z = σ(xp_rz + hp_rz)                                   one pass over the r, z gates
 *             n = tanh(xp_n + r ⊙ hn),  h_t = n + z ⊙ (h_{t−1} − n)        one pass over the n gate
 *   backward: d pre_n = dh ⊙ (1 − z) ⊙ (1 − n²),  d hn = d pre_n ⊙ r
 *             d pre_r = d pre_n ⊙ hn ⊙ r(1 − r),  d pre_z = dh ⊙ (h_{t−1} − n) ⊙ z(1 − z)
 *             dxp = [d pre_r, d pre_z, d pre_n],  dhp = [d pre_r, d pre_z, d hn]
 *             dh_{t−1} (direct part) = dh ⊙ z                                    one pass
 * </pre>
 * Each kernel also comes with a {@code units} argument: then it handles only {@code units} hidden units
 * of every row, from the offsets given (strides stay those of H), for a team splitting a step by units.
 * {@code ...Simd}: Vector API loops (activations as in {@link GateMath}; scalar code for the last
 * units mod lanes, no masked operations, no allocation); {@code ...Scalar}: the scalar twins.
 */
public final class GruKernels {
    private GruKernels() {
    }

    /**
     * Vector API: GRU forward of {@code rows} rows.
     *
     * @param xp    row r's {@code x·W_ihᵀ + b_ih} (3H) at {@code xpOff + r·3H}; not modified
     * @param hp    row r's {@code h·W_hhᵀ + b_hh} (3H) at {@code hpOff + r·3H}; not modified
     * @param state row r's h before the step (H) at {@code prevOff + r·H}, not modified; h after it
     *              written at {@code nextOff + r·H} (regions must not overlap)
     * @param tape  written: r, z, n, hn (4H) at {@code tapeOff + r·4H}
     */
    public static void forwardSimd(int hidden, int rows, float[] xp, int xpOff, float[] hp, int hpOff,
                                   float[] state, int prevOff, int nextOff, float[] tape, int tapeOff) {
        forwardSimd(hidden, hidden, rows, xp, xpOff, hp, hpOff, state, prevOff, nextOff, tape, tapeOff);
    }

    /** Vector API {@link #forwardSimd} of {@code units} hidden units per row (offsets at the first of them). */
    public static void forwardSimd(int hidden, int units, int rows, float[] xp, int xpOff, float[] hp, int hpOff,
                                   float[] state, int prevOff, int nextOff, float[] tape, int tapeOff) {
        int h = hidden, bound = F.loopBound(units);
        for (int row = 0; row < rows; row++) {
            int x0 = xpOff + row * 3 * h, h0 = hpOff + row * 3 * h, t0 = tapeOff + row * 4 * h;
            int p0 = prevOff + row * h, n0 = nextOff + row * h;
            // r, z = σ(xp + hp)
            for (int q = 0; q < 2; q++) {
                int xq = x0 + q * h, hq = h0 + q * h, tq = t0 + q * h;
                int j = 0;
                for (; j < bound; j += L) {
                    FloatVector pre = FloatVector.fromArray(F, xp, xq + j).add(FloatVector.fromArray(F, hp, hq + j));
                    FloatVector a = pre.neg().max(A_LO).min(A_HI);
                    FloatVector z = a.fma(LOG2E, ROUND);
                    FloatVector n = z.sub(ROUND);
                    FloatVector r = n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, a));
                    FloatVector p = r.fma(E6, E5).fma(r, E4).fma(r, E3).fma(r, E2).fma(r, ONE).fma(r, ONE);
                    FloatVector e = p.mul(z.reinterpretAsInts().sub(EXP_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                    ONE.div(e.add(ONE)).intoArray(tape, tq + j);
                }
                for (; j < units; j++) {
                    tape[tq + j] = GateMath.sigmoid(xp[xq + j] + hp[hq + j]);
                }
            }
            // n = tanh(xp_n + r ⊙ hn) = 2σ(2·pre) − 1; h_t = n + z ⊙ (h_{t−1} − n)
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector hn = FloatVector.fromArray(F, hp, h0 + 2 * h + j);
                FloatVector pre = FloatVector.fromArray(F, tape, t0 + j).fma(hn, FloatVector.fromArray(F, xp, x0 + 2 * h + j));
                FloatVector a = pre.mul(-2f).max(A_LO).min(A_HI);
                FloatVector z = a.fma(LOG2E, ROUND);
                FloatVector n = z.sub(ROUND);
                FloatVector r = n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, a));
                FloatVector p = r.fma(E6, E5).fma(r, E4).fma(r, E3).fma(r, E2).fma(r, ONE).fma(r, ONE);
                FloatVector e = p.mul(z.reinterpretAsInts().sub(EXP_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                FloatVector nv = ONE.div(e.add(ONE)).fma(TWO, MINUS_ONE);
                FloatVector zv = FloatVector.fromArray(F, tape, t0 + h + j);
                nv.intoArray(tape, t0 + 2 * h + j);
                hn.intoArray(tape, t0 + 3 * h + j);
                zv.fma(FloatVector.fromArray(F, state, p0 + j).sub(nv), nv).intoArray(state, n0 + j);
            }
            newGateTail(h, j, units, xp, x0, hp, h0, state, p0, n0, tape, t0);
        }
    }

    /** Scalar twin of {@link #forwardSimd}. */
    public static void forwardScalar(int hidden, int rows, float[] xp, int xpOff, float[] hp, int hpOff,
                                     float[] state, int prevOff, int nextOff, float[] tape, int tapeOff) {
        forwardScalar(hidden, hidden, rows, xp, xpOff, hp, hpOff, state, prevOff, nextOff, tape, tapeOff);
    }

    /** Scalar twin of the units variant of {@link #forwardSimd}. */
    public static void forwardScalar(int hidden, int units, int rows, float[] xp, int xpOff, float[] hp, int hpOff,
                                     float[] state, int prevOff, int nextOff, float[] tape, int tapeOff) {
        int h = hidden;
        for (int row = 0; row < rows; row++) {
            int x0 = xpOff + row * 3 * h, h0 = hpOff + row * 3 * h, t0 = tapeOff + row * 4 * h;
            for (int q = 0; q < 2; q++) {
                for (int j = 0; j < units; j++) {
                    tape[t0 + q * h + j] = GateMath.sigmoid(xp[x0 + q * h + j] + hp[h0 + q * h + j]);
                }
            }
            newGateTail(h, 0, units, xp, x0, hp, h0, state, prevOff + row * h, nextOff + row * h, tape, t0);
        }
    }

    private static void newGateTail(int h, int j0, int units, float[] xp, int x0, float[] hp, int h0,
                                    float[] state, int p0, int n0, float[] tape, int t0) {
        for (int j = j0; j < units; j++) {
            float hn = hp[h0 + 2 * h + j];
            float n = GateMath.tanh(xp[x0 + 2 * h + j] + tape[t0 + j] * hn);
            tape[t0 + 2 * h + j] = n;
            tape[t0 + 3 * h + j] = hn;
            state[n0 + j] = n + tape[t0 + h + j] * (state[p0 + j] - n);
        }
    }

    /**
     * Vector API: GRU backward of {@code rows} rows.
     *
     * @param state row r's h before the step at {@code prevOff + r·H}; not modified
     * @param tape  what {@link #forwardSimd} wrote for the step at {@code tapeOff + r·4H}; not modified
     * @param dNext dL/d h_t (output gradient included) at {@code dNextOff + r·H}; not modified
     * @param dxp   written: dL/d xp (3H) at {@code dxpOff + r·3H}
     * @param dhp   written: dL/d hp (3H) at {@code dhpOff + r·3H}
     * @param dPrev written: the direct part of dL/d h_{t−1}, {@code dh ⊙ z}, at {@code dPrevOff + r·H}
     */
    public static void backwardSimd(int hidden, int rows, float[] state, int prevOff, float[] tape, int tapeOff,
                                    float[] dNext, int dNextOff, float[] dxp, int dxpOff, float[] dhp, int dhpOff,
                                    float[] dPrev, int dPrevOff) {
        backwardSimd(hidden, hidden, rows, state, prevOff, tape, tapeOff, dNext, dNextOff, dxp, dxpOff, dhp, dhpOff, dPrev, dPrevOff);
    }

    /** Vector API {@link #backwardSimd} of {@code units} hidden units per row (offsets at the first of them). */
    public static void backwardSimd(int hidden, int units, int rows, float[] state, int prevOff, float[] tape, int tapeOff,
                                    float[] dNext, int dNextOff, float[] dxp, int dxpOff, float[] dhp, int dhpOff,
                                    float[] dPrev, int dPrevOff) {
        int h = hidden, bound = F.loopBound(units);
        for (int row = 0; row < rows; row++) {
            int t0 = tapeOff + row * 4 * h, p0 = prevOff + row * h, d0 = dNextOff + row * h;
            int x0 = dxpOff + row * 3 * h, h0 = dhpOff + row * 3 * h, q0 = dPrevOff + row * h;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector dh = FloatVector.fromArray(F, dNext, d0 + j);
                FloatVector r = FloatVector.fromArray(F, tape, t0 + j);
                FloatVector z = FloatVector.fromArray(F, tape, t0 + h + j);
                FloatVector n = FloatVector.fromArray(F, tape, t0 + 2 * h + j);
                FloatVector hn = FloatVector.fromArray(F, tape, t0 + 3 * h + j);
                FloatVector dn = dh.mul(ONE.sub(z)).mul(ONE.sub(n.mul(n)));
                FloatVector dr = dn.mul(hn).mul(r.mul(ONE.sub(r)));
                FloatVector dz = dh.mul(FloatVector.fromArray(F, state, p0 + j).sub(n)).mul(z.mul(ONE.sub(z)));
                dr.intoArray(dxp, x0 + j);
                dz.intoArray(dxp, x0 + h + j);
                dn.intoArray(dxp, x0 + 2 * h + j);
                dr.intoArray(dhp, h0 + j);
                dz.intoArray(dhp, h0 + h + j);
                dn.mul(r).intoArray(dhp, h0 + 2 * h + j);
                dh.mul(z).intoArray(dPrev, q0 + j);
            }
            backwardTail(h, j, units, state, p0, tape, t0, dNext, d0, dxp, x0, dhp, h0, dPrev, q0);
        }
    }

    /** Scalar twin of {@link #backwardSimd}. */
    public static void backwardScalar(int hidden, int rows, float[] state, int prevOff, float[] tape, int tapeOff,
                                      float[] dNext, int dNextOff, float[] dxp, int dxpOff, float[] dhp, int dhpOff,
                                      float[] dPrev, int dPrevOff) {
        backwardScalar(hidden, hidden, rows, state, prevOff, tape, tapeOff, dNext, dNextOff, dxp, dxpOff, dhp, dhpOff, dPrev, dPrevOff);
    }

    /** Scalar twin of the units variant of {@link #backwardSimd}. */
    public static void backwardScalar(int hidden, int units, int rows, float[] state, int prevOff, float[] tape, int tapeOff,
                                      float[] dNext, int dNextOff, float[] dxp, int dxpOff, float[] dhp, int dhpOff,
                                      float[] dPrev, int dPrevOff) {
        int h = hidden;
        for (int row = 0; row < rows; row++) {
            backwardTail(h, 0, units, state, prevOff + row * h, tape, tapeOff + row * 4 * h, dNext, dNextOff + row * h,
                    dxp, dxpOff + row * 3 * h, dhp, dhpOff + row * 3 * h, dPrev, dPrevOff + row * h);
        }
    }

    private static void backwardTail(int h, int j0, int units, float[] state, int p0, float[] tape, int t0, float[] dNext,
                                     int d0, float[] dxp, int x0, float[] dhp, int h0, float[] dPrev, int q0) {
        for (int j = j0; j < units; j++) {
            float dh = dNext[d0 + j];
            float r = tape[t0 + j], z = tape[t0 + h + j], n = tape[t0 + 2 * h + j], hn = tape[t0 + 3 * h + j];
            float dn = dh * (1f - z) * (1f - n * n);
            float dr = dn * hn * (r * (1f - r));
            float dz = dh * (state[p0 + j] - n) * (z * (1f - z));
            dxp[x0 + j] = dr;
            dxp[x0 + h + j] = dz;
            dxp[x0 + 2 * h + j] = dn;
            dhp[h0 + j] = dr;
            dhp[h0 + h + j] = dz;
            dhp[h0 + 2 * h + j] = dn * r;
            dPrev[q0 + j] = dh * z;
        }
    }
}
