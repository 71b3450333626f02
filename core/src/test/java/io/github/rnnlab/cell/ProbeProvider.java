package io.github.rnnlab.cell;

import io.github.rnnlab.numeric.Ops;

import java.util.List;

/**
 * A small gated cell for core's own tests: two gates, {@code h_t = tanh(a) ⊙ σ(b)} with
 * {@code [a | b] = xp + hp}. Its parameters can be replaced to provoke the base's shape checks.
 */
public class ProbeProvider implements CellProvider {
    private final List<ParameterSpec> parameters;

    public ProbeProvider() {
        this(GatedCell.standardParameters(2));
    }

    ProbeProvider(List<ParameterSpec> parameters) {
        this.parameters = parameters;
    }

    @Override
    public String id() {
        return "probe";
    }

    @Override
    public String version() {
        return "0.0.1";
    }

    @Override
    public String description() {
        return "test cell: h = tanh(a) * sigmoid(b)";
    }

    @Override
    public int gateCount() {
        return 2;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return parameters;
    }

    @Override
    public List<StateSpec> states() {
        return List.of(new StateSpec("h", Dim.HIDDEN));
    }

    @Override
    public Cell create(CellConfig config) {
        return new Probe(this, config);
    }

    static class Probe extends GatedCell {
        Probe(CellProvider p, CellConfig c) {
            super(p, c, Projections.SUMMED);
        }

        @Override
        protected int rowTapeSize() {
            return 2 * hidden;
        }

        @Override
        protected <A> void forwardRow(Ops<A> ops, A xp, int xpOff, A hp, int hpOff, A state, int prevOff, int nextOff,
                                      A tape, int tapeOff) {
            ops.tanh(hidden, xp, xpOff, tape, tapeOff);
            ops.sigmoid(hidden, xp, xpOff + hidden, tape, tapeOff + hidden);
            ops.mul(hidden, tape, tapeOff, tape, tapeOff + hidden, state, nextOff);
        }

        @Override
        protected <A> void backwardRow(Ops<A> ops, A state, int prevOff, int nextOff, A tape, int tapeOff,
                                       A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff, A dPrev, int dPrevOff) {
            ops.mul(hidden, dNext, dNextOff, tape, tapeOff + hidden, dxp, dxpOff);
            ops.tanhBackward(hidden, tape, tapeOff, dxp, dxpOff, dxp, dxpOff);
            ops.mul(hidden, dNext, dNextOff, tape, tapeOff, dxp, dxpOff + hidden);
            ops.sigmoidBackward(hidden, tape, tapeOff + hidden, dxp, dxpOff + hidden, dxp, dxpOff + hidden);
            ops.fill(hidden, 0.0, dPrev, dPrevOff);
        }
    }
}
