package io.github.rnnlab.cells;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.GatedCell;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Precision;

/**
 * The GRU cell, exactly as PyTorch's {@code nn.GRU}, gate blocks in the order r, z, n; the reset
 * gate r applies <em>after</em> the recurrent product:
 * <pre>
 *   r = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
 *   z = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
 *   n = tanh(W_in x_t + b_in + r ⊙ (W_hn h_{t-1} + b_hn))
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}
 * </pre>
 * <ul>
 *   <li>Input x_t: (in). State: {@code h} (H). Output: h_t (H).</li>
 *   <li>Parameters: {@code weight_ih} (3H, in) = [W_ir; W_iz; W_in], {@code weight_hh} (3H, H),
 *       {@code bias_ih} (3H), {@code bias_hh} (3H). Default init: every element ~ U(−1/√H, 1/√H).</li>
 * </ul>
 * Because of r, the n block of the recurrent projection gets a different gradient from the input
 * projection's, so this cell uses {@link Projections#SEPARATE}. Tape per step and row: r, z, n and
 * {@code W_hn h_{t-1} + b_hn} (4H). float32 runs the fused kernels of {@link GruKernels} (SIMD or their
 * scalar twins, as the ops say); float64 the generic per-row path below.
 */
public final class Gru extends GatedCell {

    /** The cell of {@code provider} for {@code config}. */
    public Gru(CellProvider provider, CellConfig config) {
        super(provider, config, Projections.SEPARATE);
    }

    @Override
    protected int rowTapeSize() {
        return 4 * hidden;
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
            GruKernels.forwardSimd(hidden, w, rows, (float[]) xp, xpOff + u0, (float[]) hp, hpOff + u0, (float[]) state, prevOff + u0,
                    nextOff + u0, (float[]) tape, tapeOff + u0);
        } else {
            GruKernels.forwardScalar(hidden, w, rows, (float[]) xp, xpOff + u0, (float[]) hp, hpOff + u0, (float[]) state, prevOff + u0,
                    nextOff + u0, (float[]) tape, tapeOff + u0);
        }
    }

    @Override
    protected <A> void backwardUnits(Ops<A> ops, int u0, int u1, int rows, A state, int prevOff, int nextOff, A tape,
                                     int tapeOff, A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff,
                                     A dPrev, int dPrevOff) {
        int w = u1 - u0;
        if (ops.simd()) {
            GruKernels.backwardSimd(hidden, w, rows, (float[]) state, prevOff + u0, (float[]) tape, tapeOff + u0, (float[]) dNext,
                    dNextOff + u0, (float[]) dxp, dxpOff + u0, (float[]) dhp, dhpOff + u0, (float[]) dPrev, dPrevOff + u0);
        } else {
            GruKernels.backwardScalar(hidden, w, rows, (float[]) state, prevOff + u0, (float[]) tape, tapeOff + u0, (float[]) dNext,
                    dNextOff + u0, (float[]) dxp, dxpOff + u0, (float[]) dhp, dhpOff + u0, (float[]) dPrev, dPrevOff + u0);
        }
    }

    @Override
    protected <A> void forwardRow(Ops<A> ops, A xp, int xpOff, A hp, int hpOff,
                                  A state, int prevOff, int nextOff, A tape, int tapeOff) {
        int h = hidden;
        int r = tapeOff, z = tapeOff + h, n = tapeOff + 2 * h, hn = tapeOff + 3 * h;
        ops.add(2 * h, xp, xpOff, hp, hpOff, tape, r);           // r, z = σ(xp + hp)
        ops.sigmoid(2 * h, tape, r, tape, r);
        ops.copy(h, hp, hpOff + 2 * h, tape, hn);                 // hn = W_hn h_{t-1} + b_hn
        ops.mul(h, tape, r, tape, hn, tape, n);                   // n = tanh(xp_n + r ⊙ hn)
        ops.add(h, xp, xpOff + 2 * h, tape, n, tape, n);
        ops.tanh(h, tape, n, tape, n);
        ops.sub(h, state, prevOff, tape, n, state, nextOff);      // h_t = n + z ⊙ (h_{t-1} − n)
        ops.mul(h, tape, z, state, nextOff, state, nextOff);
        ops.add(h, tape, n, state, nextOff, state, nextOff);
    }

    @Override
    protected <A> void backwardRow(Ops<A> ops, A state, int prevOff, int nextOff, A tape, int tapeOff,
                                   A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff,
                                   A dPrev, int dPrevOff) {
        int h = hidden;
        int r = tapeOff, z = tapeOff + h, n = tapeOff + 2 * h, hn = tapeOff + 3 * h;
        int dr = dxpOff, dz = dxpOff + h, dn = dxpOff + 2 * h;
        ops.mul(h, dNext, dNextOff, tape, z, dPrev, dPrevOff);           // dh_{t-1} (direct) = dh ⊙ z
        ops.sub(h, dNext, dNextOff, dPrev, dPrevOff, dxp, dn);           // dn = dh ⊙ (1 − z)
        ops.tanhBackward(h, tape, n, dxp, dn, dxp, dn);                  // d pre_n = dn ⊙ (1 − n²)
        ops.mul(h, dxp, dn, tape, r, dhp, dhpOff + 2 * h);               // d hn = d pre_n ⊙ r
        ops.mul(h, dxp, dn, tape, hn, dxp, dr);                          // dr = d pre_n ⊙ hn
        ops.sigmoidBackward(h, tape, r, dxp, dr, dxp, dr);
        ops.sub(h, state, prevOff, tape, n, dxp, dz);                    // dz = dh ⊙ (h_{t-1} − n)
        ops.mul(h, dxp, dz, dNext, dNextOff, dxp, dz);
        ops.sigmoidBackward(h, tape, z, dxp, dz, dxp, dz);
        ops.copy(2 * h, dxp, dr, dhp, dhpOff);                           // r and z see xp + hp
    }
}
