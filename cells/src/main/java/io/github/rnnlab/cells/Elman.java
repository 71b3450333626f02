package io.github.rnnlab.cells;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.GatedCell;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Precision;

/**
 * The Elman RNN cell, exactly as PyTorch's {@code nn.RNN} with {@code nonlinearity='tanh'}
 * ({@code rnn_tanh}) or {@code 'relu'} ({@code rnn_relu}):
 * <pre>
 *   h_t = act(x_t·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh)        act = tanh or relu
 * </pre>
 * <ul>
 *   <li>Input x_t: (in). State: {@code h} (H). Output: h_t (H).</li>
 *   <li>Parameters: {@code weight_ih} (H, in), {@code weight_hh} (H, H), {@code bias_ih} (H),
 *       {@code bias_hh} (H); one gate. Default init: every element ~ U(−1/√H, 1/√H).</li>
 * </ul>
 * Backward: with {@code a = pre-activation}, {@code dL/da = dL/dh_t ⊙ act'(a)} (tanh: 1 − h_t²;
 * relu: [h_t &gt; 0]) is the gradient of both projections; h_{t-1} gets it only through W_hh.
 * float32 runs the fused kernels of {@link ElmanKernels} (SIMD or their scalar twins, as the ops say);
 * float64 the generic per-row path below.
 */
public final class Elman extends GatedCell {

    /** The nonlinearity: PyTorch's {@code nonlinearity} argument. */
    public enum Activation {
        /** {@code rnn_tanh}. */
        TANH,
        /** {@code rnn_relu}. */
        RELU
    }

    private final Activation activation;

    /** The cell of {@code provider} for {@code config}, with {@code activation}. */
    public Elman(CellProvider provider, CellConfig config, Activation activation) {
        super(provider, config, Projections.SUMMED);
        this.activation = activation;
    }

    /** The nonlinearity of this cell. */
    public Activation activation() {
        return activation;
    }

    @Override
    protected int rowTapeSize() {
        return 0; // h_t, in the next state, is all backward needs
    }

    @Override
    protected boolean splitsByUnits(Ops<?> ops) {
        return ops.precision() == Precision.F32;
    }

    @Override
    protected <A> void forwardUnits(Ops<A> ops, int u0, int u1, int rows, A xp, int xpOff, A hp, int hpOff,
                                    A state, int prevOff, int nextOff, A tape, int tapeOff) {
        boolean tanh = activation == Activation.TANH;
        int w = u1 - u0;
        if (ops.simd()) {
            ElmanKernels.forwardSimd(tanh, hidden, w, rows, (float[]) xp, xpOff + u0, (float[]) state, nextOff + u0);
        } else {
            ElmanKernels.forwardScalar(tanh, hidden, w, rows, (float[]) xp, xpOff + u0, (float[]) state, nextOff + u0);
        }
    }

    @Override
    protected <A> void backwardUnits(Ops<A> ops, int u0, int u1, int rows, A state, int prevOff, int nextOff, A tape,
                                     int tapeOff, A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff,
                                     A dPrev, int dPrevOff) {
        boolean tanh = activation == Activation.TANH;
        int w = u1 - u0;
        if (ops.simd()) {
            ElmanKernels.backwardSimd(tanh, hidden, w, rows, (float[]) state, nextOff + u0, (float[]) dNext, dNextOff + u0,
                    (float[]) dxp, dxpOff + u0, (float[]) dPrev, dPrevOff + u0);
        } else {
            ElmanKernels.backwardScalar(tanh, hidden, w, rows, (float[]) state, nextOff + u0, (float[]) dNext, dNextOff + u0,
                    (float[]) dxp, dxpOff + u0, (float[]) dPrev, dPrevOff + u0);
        }
    }

    @Override
    protected <A> void forwardRow(Ops<A> ops, A xp, int xpOff, A hp, int hpOff,
                                  A state, int prevOff, int nextOff, A tape, int tapeOff) {
        // h_t = act(pre), pre = xp (the projections are summed)
        if (activation == Activation.TANH) {
            ops.tanh(hidden, xp, xpOff, state, nextOff);
        } else {
            ops.relu(hidden, xp, xpOff, state, nextOff);
        }
    }

    @Override
    protected <A> void backwardRow(Ops<A> ops, A state, int prevOff, int nextOff, A tape, int tapeOff,
                                   A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff,
                                   A dPrev, int dPrevOff) {
        // dL/dpre = dh ⊙ act'(pre), from h_t
        if (activation == Activation.TANH) {
            ops.tanhBackward(hidden, state, nextOff, dNext, dNextOff, dxp, dxpOff);
        } else {
            ops.reluBackward(hidden, state, nextOff, dNext, dNextOff, dxp, dxpOff);
        }
        // h_{t-1} reaches h_t only through W_hh
        ops.fill(hidden, 0.0, dPrev, dPrevOff);
    }
}
