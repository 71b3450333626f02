package io.github.rnnlab.cells;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.GatedCell;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Precision;

/**
 * The LSTM cell, exactly as PyTorch's {@code nn.LSTM} (without projections), gate blocks in the order
 * i, f, g, o:
 * <pre>
 *   i = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
 *   f = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
 *   g = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
 *   o = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)
 *   c_t = f ⊙ c_{t-1} + i ⊙ g
 *   h_t = o ⊙ tanh(c_t)
 * </pre>
 * <ul>
 *   <li>Input x_t: (in). States: {@code h} (H), then {@code c} (H). Output: h_t (H).</li>
 *   <li>Parameters: {@code weight_ih} (4H, in) = [W_ii; W_if; W_ig; W_io], {@code weight_hh} (4H, H),
 *       {@code bias_ih} (4H), {@code bias_hh} (4H). Default init: every element ~ U(−1/√H, 1/√H).</li>
 * </ul>
 * Tape per step and row: i, f, g, o and tanh(c_t) (5H). float32 runs the fused kernels of
 * {@link LstmKernels} (SIMD or their scalar twins, as the ops say); float64 the generic per-row path below.
 */
public final class Lstm extends GatedCell {

    /** The cell of {@code provider} for {@code config}. */
    public Lstm(CellProvider provider, CellConfig config) {
        super(provider, config, Projections.SUMMED);
    }

    @Override
    protected int rowTapeSize() {
        return 5 * hidden;
    }

    @Override
    protected boolean splitsByUnits(Ops<?> ops) {
        return ops.precision() == Precision.F32;
    }

    @Override
    protected <A> void forwardUnits(Ops<A> ops, int u0, int u1, int rows, A xp, int xpOff, A hp, int hpOff,
                                    A state, int prevOff, int nextOff, A tape, int tapeOff) {
        int w = u1 - u0;
        if (ops.simd()) {
            LstmKernels.forwardSimd(hidden, w, rows, (float[]) xp, xpOff + u0, (float[]) state, prevOff + u0, nextOff + u0,
                    (float[]) tape, tapeOff + u0);
        } else {
            LstmKernels.forwardScalar(hidden, w, rows, (float[]) xp, xpOff + u0, (float[]) state, prevOff + u0, nextOff + u0,
                    (float[]) tape, tapeOff + u0);
        }
    }

    @Override
    protected <A> void backwardUnits(Ops<A> ops, int u0, int u1, int rows, A state, int prevOff, int nextOff, A tape,
                                     int tapeOff, A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff,
                                     A dPrev, int dPrevOff) {
        int w = u1 - u0;
        if (ops.simd()) {
            LstmKernels.backwardSimd(hidden, w, rows, (float[]) state, prevOff + u0, (float[]) tape, tapeOff + u0,
                    (float[]) dNext, dNextOff + u0, (float[]) dxp, dxpOff + u0, (float[]) dPrev, dPrevOff + u0);
        } else {
            LstmKernels.backwardScalar(hidden, w, rows, (float[]) state, prevOff + u0, (float[]) tape, tapeOff + u0,
                    (float[]) dNext, dNextOff + u0, (float[]) dxp, dxpOff + u0, (float[]) dPrev, dPrevOff + u0);
        }
    }

    @Override
    protected <A> void forwardRow(Ops<A> ops, A xp, int xpOff, A hp, int hpOff,
                                  A state, int prevOff, int nextOff, A tape, int tapeOff) {
        int h = hidden;
        int i = tapeOff, f = tapeOff + h, g = tapeOff + 2 * h, o = tapeOff + 3 * h, tanhC = tapeOff + 4 * h;
        int cPrev = prevOff + h, hNext = nextOff, cNext = nextOff + h;
        ops.sigmoid(2 * h, xp, xpOff, tape, i);          // i, f = σ(pre_i), σ(pre_f)
        ops.tanh(h, xp, xpOff + 2 * h, tape, g);         // g = tanh(pre_g)
        ops.sigmoid(h, xp, xpOff + 3 * h, tape, o);      // o = σ(pre_o)
        ops.mul(h, tape, f, state, cPrev, state, cNext); // c_t = f ⊙ c_{t-1}
        ops.addMul(h, tape, i, tape, g, state, cNext);   //     + i ⊙ g
        ops.tanh(h, state, cNext, tape, tanhC);
        ops.mul(h, tape, o, tape, tanhC, state, hNext);  // h_t = o ⊙ tanh(c_t)
    }

    @Override
    protected <A> void backwardRow(Ops<A> ops, A state, int prevOff, int nextOff, A tape, int tapeOff,
                                   A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff,
                                   A dPrev, int dPrevOff) {
        int h = hidden;
        int i = tapeOff, f = tapeOff + h, g = tapeOff + 2 * h, o = tapeOff + 3 * h, tanhC = tapeOff + 4 * h;
        int dh = dNextOff, dc = dNextOff + h;
        int dcPrev = dPrevOff + h;                           // holds dL/dc_t until the last line
        int di = dxpOff, df = dxpOff + h, dg = dxpOff + 2 * h, dO = dxpOff + 3 * h;
        // dL/dc_t = dc + dh ⊙ o ⊙ (1 − tanh²(c_t))
        ops.mul(h, dNext, dh, tape, o, dPrev, dcPrev);
        ops.tanhBackward(h, tape, tanhC, dPrev, dcPrev, dPrev, dcPrev);
        ops.add(h, dPrev, dcPrev, dNext, dc, dPrev, dcPrev);
        // pre_o: dh ⊙ tanh(c_t) ⊙ o(1 − o)
        ops.mul(h, dNext, dh, tape, tanhC, dxp, dO);
        ops.sigmoidBackward(h, tape, o, dxp, dO, dxp, dO);
        // pre_i: dc_t ⊙ g ⊙ i(1 − i);  pre_f: dc_t ⊙ c_{t-1} ⊙ f(1 − f);  pre_g: dc_t ⊙ i ⊙ (1 − g²)
        ops.mul(h, dPrev, dcPrev, tape, g, dxp, di);
        ops.sigmoidBackward(h, tape, i, dxp, di, dxp, di);
        ops.mul(h, dPrev, dcPrev, state, prevOff + h, dxp, df);
        ops.sigmoidBackward(h, tape, f, dxp, df, dxp, df);
        ops.mul(h, dPrev, dcPrev, tape, i, dxp, dg);
        ops.tanhBackward(h, tape, g, dxp, dg, dxp, dg);
        // dL/dc_{t-1} = dc_t ⊙ f; h_{t-1} reaches the step only through W_hh
        ops.mul(h, dPrev, dcPrev, tape, f, dPrev, dcPrev);
        ops.fill(h, 0.0, dPrev, dPrevOff);
    }
}
