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
 * The fused float32 gate math of the {@link Lstm} cell, for {@code rows} consecutive batch rows of one
 * step (the {@code forwardRows}/{@code backwardRows} fast path of {@link io.github.rnnlab.cell.GatedCell}).
 * Gate order i, f, g, o; H = {@code hidden}. Per row, with strides G·H = 4H (pre-activations and their
 * gradients), S = 2H (states, {@code h|c}) and 5H (tape {@code i|f|g|o|tanh(c)}):
 * <pre>
 *   forward:  i, f, o = σ(pre_i, pre_f, pre_o),  g = tanh(pre_g)        one pass over the gate row
 *             c_t = f ⊙ c_{t−1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)          one pass over the state
 *   backward: dc = dc_t + dh ⊙ o ⊙ (1 − tanh²(c_t))
 *             d pre_i = dc ⊙ g ⊙ i(1 − i),  d pre_f = dc ⊙ c_{t−1} ⊙ f(1 − f),
 *             d pre_g = dc ⊙ i ⊙ (1 − g²),  d pre_o = dh ⊙ tanh(c_t) ⊙ o(1 − o)
 *             dc_{t−1} = dc ⊙ f,  dh_{t−1} (direct part) = 0                    one pass
 * </pre>
 * Each kernel also comes with a {@code units} argument: then it handles only {@code units} hidden units
 * of every row, from the offsets given (which point at the first of them; strides stay those of H), so
 * that a team can split a step by hidden units (unit u reads and writes only element u of each block).
 * {@code ...Simd}: the Vector API loops (activations as in {@link GateMath}; scalar code for the last
 * units mod lanes of a row, no masked operations, no allocation); {@code ...Scalar}: the scalar
 * twins, activations in double.
 */
public final class LstmKernels {
    private LstmKernels() {
    }

    /**
     * Vector API: LSTM forward of {@code rows} rows.
     *
     * @param pre   row r's pre-activations {@code x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh} (4H) at {@code preOff + r·4H}; not modified
     * @param state row r's state before the step ({@code h|c}, 2H) at {@code prevOff + r·2H}, not modified;
     *              the state after it written at {@code nextOff + r·2H} (both regions must not overlap)
     * @param tape  written: i, f, g, o, tanh(c_t) (5H) at {@code tapeOff + r·5H}
     */
    public static void forwardSimd(int hidden, int rows, float[] pre, int preOff, float[] state, int prevOff, int nextOff,
                                   float[] tape, int tapeOff) {
        forwardSimd(hidden, hidden, rows, pre, preOff, state, prevOff, nextOff, tape, tapeOff);
    }

    /** Vector API {@link #forwardSimd} of {@code units} hidden units per row (offsets at the first of them). */
    public static void forwardSimd(int hidden, int units, int rows, float[] pre, int preOff, float[] state, int prevOff,
                                   int nextOff, float[] tape, int tapeOff) {
        int h = hidden, bound = F.loopBound(units);
        for (int row = 0; row < rows; row++) {
            int x0 = preOff + row * 4 * h, t0 = tapeOff + row * 5 * h;
            int p0 = prevOff + row * 2 * h, n0 = nextOff + row * 2 * h;
            // i, f, g, o: act(x) = m·σ(m·x) + c with m = 1, c = 0 (σ) or m = 2, c = −1 (tanh, gate g)
            for (int q = 0; q < 4; q++) {
                float m = q == 2 ? 2f : 1f, c = q == 2 ? -1f : 0f, minusM = -m;
                int src = x0 + q * h, dst = t0 + q * h;
                int j = 0;
                for (; j < bound; j += L) {
                    FloatVector a = FloatVector.fromArray(F, pre, src + j).mul(minusM).max(A_LO).min(A_HI);
                    FloatVector z = a.fma(LOG2E, ROUND);
                    FloatVector n = z.sub(ROUND);
                    FloatVector r = n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, a));
                    FloatVector p = r.fma(E6, E5).fma(r, E4).fma(r, E3).fma(r, E2).fma(r, ONE).fma(r, ONE);
                    FloatVector e = p.mul(z.reinterpretAsInts().sub(EXP_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                    ONE.div(e.add(ONE)).fma(m, c).intoArray(tape, dst + j);
                }
                for (; j < units; j++) {
                    tape[dst + j] = q == 2 ? GateMath.tanh(pre[src + j]) : GateMath.sigmoid(pre[src + j]);
                }
            }
            // c_t = f ⊙ c_{t−1} + i ⊙ g; h_t = o ⊙ tanh(c_t), tanh(c) = 2σ(2c) − 1
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector i = FloatVector.fromArray(F, tape, t0 + j);
                FloatVector f = FloatVector.fromArray(F, tape, t0 + h + j);
                FloatVector g = FloatVector.fromArray(F, tape, t0 + 2 * h + j);
                FloatVector cell = f.fma(FloatVector.fromArray(F, state, p0 + h + j), i.mul(g));
                FloatVector a = cell.mul(-2f).max(A_LO).min(A_HI);
                FloatVector z = a.fma(LOG2E, ROUND);
                FloatVector n = z.sub(ROUND);
                FloatVector r = n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, a));
                FloatVector p = r.fma(E6, E5).fma(r, E4).fma(r, E3).fma(r, E2).fma(r, ONE).fma(r, ONE);
                FloatVector e = p.mul(z.reinterpretAsInts().sub(EXP_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                FloatVector tc = ONE.div(e.add(ONE)).fma(TWO, MINUS_ONE);
                cell.intoArray(state, n0 + h + j);
                tc.intoArray(tape, t0 + 4 * h + j);
                FloatVector.fromArray(F, tape, t0 + 3 * h + j).mul(tc).intoArray(state, n0 + j);
            }
            cellTail(h, j, units, state, p0, n0, tape, t0);
        }
    }

    /** Scalar twin of {@link #forwardSimd}. */
    public static void forwardScalar(int hidden, int rows, float[] pre, int preOff, float[] state, int prevOff, int nextOff,
                                     float[] tape, int tapeOff) {
        forwardScalar(hidden, hidden, rows, pre, preOff, state, prevOff, nextOff, tape, tapeOff);
    }

    /** Scalar twin of the units variant of {@link #forwardSimd}. */
    public static void forwardScalar(int hidden, int units, int rows, float[] pre, int preOff, float[] state, int prevOff,
                                     int nextOff, float[] tape, int tapeOff) {
        int h = hidden;
        for (int row = 0; row < rows; row++) {
            int x0 = preOff + row * 4 * h, t0 = tapeOff + row * 5 * h;
            int p0 = prevOff + row * 2 * h, n0 = nextOff + row * 2 * h;
            for (int q = 0; q < 4; q++) {
                int src = x0 + q * h, dst = t0 + q * h;
                for (int j = 0; j < units; j++) {
                    tape[dst + j] = q == 2 ? GateMath.tanh(pre[src + j]) : GateMath.sigmoid(pre[src + j]);
                }
            }
            cellTail(h, 0, units, state, p0, n0, tape, t0);
        }
    }

    /** Units [j0, units) of the cell update of one row, in scalar code. */
    private static void cellTail(int h, int j0, int units, float[] state, int p0, int n0, float[] tape, int t0) {
        for (int j = j0; j < units; j++) {
            float c = tape[t0 + h + j] * state[p0 + h + j] + tape[t0 + j] * tape[t0 + 2 * h + j];
            float tc = GateMath.tanh(c);
            state[n0 + h + j] = c;
            tape[t0 + 4 * h + j] = tc;
            state[n0 + j] = tape[t0 + 3 * h + j] * tc;
        }
    }

    /**
     * Vector API: LSTM backward of {@code rows} rows.
     *
     * @param state row r's state before the step at {@code prevOff + r·2H} (its c is read); not modified
     * @param tape  what {@link #forwardSimd} wrote for the step at {@code tapeOff + r·5H}; not modified
     * @param dNext dL/d state_t ({@code dh|dc}, output gradient already in dh) at {@code dNextOff + r·2H}; not modified
     * @param dPre  written: dL/d pre-activations (4H) at {@code dPreOff + r·4H}
     * @param dPrev written: dL/d state_{t−1}'s direct part at {@code dPrevOff + r·2H}: 0 for h (h_{t−1}
     *              reaches the step only through W_hh), {@code dc ⊙ f} for c
     */
    public static void backwardSimd(int hidden, int rows, float[] state, int prevOff, float[] tape, int tapeOff,
                                    float[] dNext, int dNextOff, float[] dPre, int dPreOff, float[] dPrev, int dPrevOff) {
        backwardSimd(hidden, hidden, rows, state, prevOff, tape, tapeOff, dNext, dNextOff, dPre, dPreOff, dPrev, dPrevOff);
    }

    /** Vector API {@link #backwardSimd} of {@code units} hidden units per row (offsets at the first of them). */
    public static void backwardSimd(int hidden, int units, int rows, float[] state, int prevOff, float[] tape, int tapeOff,
                                    float[] dNext, int dNextOff, float[] dPre, int dPreOff, float[] dPrev, int dPrevOff) {
        int h = hidden, bound = F.loopBound(units);
        for (int row = 0; row < rows; row++) {
            int t0 = tapeOff + row * 5 * h, p0 = prevOff + row * 2 * h;
            int d0 = dNextOff + row * 2 * h, g0 = dPreOff + row * 4 * h, q0 = dPrevOff + row * 2 * h;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector dh = FloatVector.fromArray(F, dNext, d0 + j);
                FloatVector i = FloatVector.fromArray(F, tape, t0 + j);
                FloatVector f = FloatVector.fromArray(F, tape, t0 + h + j);
                FloatVector g = FloatVector.fromArray(F, tape, t0 + 2 * h + j);
                FloatVector o = FloatVector.fromArray(F, tape, t0 + 3 * h + j);
                FloatVector tc = FloatVector.fromArray(F, tape, t0 + 4 * h + j);
                FloatVector dc = dh.mul(o).fma(ONE.sub(tc.mul(tc)), FloatVector.fromArray(F, dNext, d0 + h + j));
                dc.mul(g).mul(i.mul(ONE.sub(i))).intoArray(dPre, g0 + j);
                dc.mul(FloatVector.fromArray(F, state, p0 + h + j)).mul(f.mul(ONE.sub(f))).intoArray(dPre, g0 + h + j);
                dc.mul(i).mul(ONE.sub(g.mul(g))).intoArray(dPre, g0 + 2 * h + j);
                dh.mul(tc).mul(o.mul(ONE.sub(o))).intoArray(dPre, g0 + 3 * h + j);
                ZERO.intoArray(dPrev, q0 + j);
                dc.mul(f).intoArray(dPrev, q0 + h + j);
            }
            backwardTail(h, j, units, state, p0, tape, t0, dNext, d0, dPre, g0, dPrev, q0);
        }
    }

    /** Scalar twin of {@link #backwardSimd}. */
    public static void backwardScalar(int hidden, int rows, float[] state, int prevOff, float[] tape, int tapeOff,
                                      float[] dNext, int dNextOff, float[] dPre, int dPreOff, float[] dPrev, int dPrevOff) {
        backwardScalar(hidden, hidden, rows, state, prevOff, tape, tapeOff, dNext, dNextOff, dPre, dPreOff, dPrev, dPrevOff);
    }

    /** Scalar twin of the units variant of {@link #backwardSimd}. */
    public static void backwardScalar(int hidden, int units, int rows, float[] state, int prevOff, float[] tape, int tapeOff,
                                      float[] dNext, int dNextOff, float[] dPre, int dPreOff, float[] dPrev, int dPrevOff) {
        int h = hidden;
        for (int row = 0; row < rows; row++) {
            backwardTail(h, 0, units, state, prevOff + row * 2 * h, tape, tapeOff + row * 5 * h, dNext, dNextOff + row * 2 * h,
                    dPre, dPreOff + row * 4 * h, dPrev, dPrevOff + row * 2 * h);
        }
    }

    private static void backwardTail(int h, int j0, int units, float[] state, int p0, float[] tape, int t0, float[] dNext,
                                     int d0, float[] dPre, int g0, float[] dPrev, int q0) {
        for (int j = j0; j < units; j++) {
            float dh = dNext[d0 + j];
            float i = tape[t0 + j], f = tape[t0 + h + j], g = tape[t0 + 2 * h + j], o = tape[t0 + 3 * h + j];
            float tc = tape[t0 + 4 * h + j];
            float dc = dNext[d0 + h + j] + dh * o * (1f - tc * tc);
            dPre[g0 + j] = dc * g * (i * (1f - i));
            dPre[g0 + h + j] = dc * state[p0 + h + j] * (f * (1f - f));
            dPre[g0 + 2 * h + j] = dc * i * (1f - g * g);
            dPre[g0 + 3 * h + j] = dh * tc * (o * (1f - o));
            dPrev[q0 + j] = 0f;
            dPrev[q0 + h + j] = dc * f;
        }
    }
}
