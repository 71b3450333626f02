package org.example.janet;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.GatedCell;
import io.github.rnnlab.numeric.Ops;

/**
 * JANET, the forget-gate-only LSTM of J. van der Westhuizen and J. Lasenby, "The unreasonable
 * effectiveness of the forget gate", arXiv:1804.04849 (2018). Gate blocks in the order f, c:
 * <pre>
 *   s_t = W_if x_t + b_if + W_hf h_{t-1} + b_hf
 *   c̃_t = tanh(W_ic x_t + b_ic + W_hc h_{t-1} + b_hc)
 *   h_t = σ(s_t) ⊙ h_{t-1} + (1 − σ(s_t − β)) ⊙ c̃_t         (the cell state is h itself)
 * </pre>
 * <ul>
 *   <li>Input x_t: (in). State: {@code h} (H). Output: h_t (H). Option {@code beta} (β, default 1).</li>
 *   <li>Parameters: {@code weight_ih} (2H, in), {@code weight_hh} (2H, H), {@code bias_ih} (2H),
 *       {@code bias_hh} (2H).</li>
 * </ul>
 * The base class does the projections, the time loop, masks and the weight gradients; this class
 * writes the gate math of one batch row, forward and backward, once for both precisions.
 */
public final class Janet extends GatedCell {
    private final double beta;

    Janet(CellProvider provider, CellConfig config) {
        super(provider, config, Projections.SUMMED); // the gates see only x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh
        this.beta = JanetProvider.beta(config());
    }

    @Override
    protected int rowTapeSize() {
        return 3 * hidden; // f = σ(s), k = 1 − σ(s − β), c̃
    }

    @Override
    protected <A> void forwardRow(Ops<A> ops, A xp, int xpOff, A hp, int hpOff,
                                  A state, int prevOff, int nextOff, A tape, int tapeOff) {
        int h = hidden, f = tapeOff, k = tapeOff + h, g = tapeOff + 2 * h;
        ops.sigmoid(h, xp, xpOff, tape, f);                  // f = σ(s)
        ops.affine(h, -1.0, xp, xpOff, beta, tape, k);       // k = 1 − σ(s − β) = σ(β − s)
        ops.sigmoid(h, tape, k, tape, k);
        ops.tanh(h, xp, xpOff + h, tape, g);                 // c̃ = tanh(pre_c)
        ops.mul(h, tape, f, state, prevOff, state, nextOff); // h_t = f ⊙ h_{t-1}
        ops.addMul(h, tape, k, tape, g, state, nextOff);     //     + k ⊙ c̃
    }

    @Override
    protected <A> void backwardRow(Ops<A> ops, A state, int prevOff, int nextOff, A tape, int tapeOff,
                                   A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff,
                                   A dPrev, int dPrevOff) {
        int h = hidden, f = tapeOff, k = tapeOff + h, g = tapeOff + 2 * h;
        int ds = dxpOff, dc = dxpOff + h;
        // dL/ds = dh ⊙ h_{t-1} ⊙ f(1 − f) − dh ⊙ c̃ ⊙ k(1 − k)
        ops.mul(h, dNext, dNextOff, state, prevOff, dxp, ds);
        ops.sigmoidBackward(h, tape, f, dxp, ds, dxp, ds);
        ops.mul(h, dNext, dNextOff, tape, g, dxp, dc);       // (dc as scratch)
        ops.sigmoidBackward(h, tape, k, dxp, dc, dxp, dc);
        ops.sub(h, dxp, ds, dxp, dc, dxp, ds);
        // dL/d pre_c = dh ⊙ k ⊙ (1 − c̃²)
        ops.mul(h, dNext, dNextOff, tape, k, dxp, dc);
        ops.tanhBackward(h, tape, g, dxp, dc, dxp, dc);
        // the direct path to h_{t-1}: dh ⊙ f (the base adds the path through W_hh)
        ops.mul(h, dNext, dNextOff, tape, f, dPrev, dPrevOff);
    }
}
