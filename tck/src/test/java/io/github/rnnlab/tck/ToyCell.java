package io.github.rnnlab.tck;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Dim;
import io.github.rnnlab.cell.GatedCell;
import io.github.rnnlab.cell.ParameterSpec;
import io.github.rnnlab.cell.StateSpec;
import io.github.rnnlab.numeric.Ops;

import java.util.List;

/**
 * A small LSTM-like cell with two states (h, c), two gates, {@code c_t = σ(a) ⊙ c_{t-1} + tanh(b)},
 * {@code h_t = tanh(c_t)}, and switchable defects, so that the TCK's own tests can show that each
 * law catches the defect it is about.
 */
final class ToyCell extends GatedCell {

    /** What is wrong with the cell. */
    enum Defect {
        NONE,
        /** backward forgets the path through c_{t-1}. */
        WRONG_BACKWARD,
        /** forward writes into its input after computing. */
        MODIFIES_INPUT,
        /** forward writes one element before its output region. */
        WRITES_OUTSIDE,
        /** forward ignores the mask. */
        IGNORES_MASK,
        /** a wrong input size throws IllegalArgumentException instead of ShapeException. */
        WRONG_EXCEPTION,
        /** float32 rounds c to 3 decimals: a float path that disagrees with the reference. */
        SLOPPY_FLOAT32,
        /** uses a hidden counter: results depend on how often the cell ran. */
        STATEFUL
    }

    static final class Provider implements CellProvider {
        private final Defect defect;

        Provider(Defect defect) {
            this.defect = defect;
        }

        @Override
        public String id() {
            return "toy";
        }

        @Override
        public String version() {
            return "0.1";
        }

        @Override
        public String description() {
            return "a cell with a defect: " + defect;
        }

        @Override
        public int gateCount() {
            return 2;
        }

        @Override
        public List<ParameterSpec> parameters() {
            return PARAMS;
        }

        @Override
        public List<StateSpec> states() {
            return STATES;
        }

        @Override
        public Cell create(CellConfig config) {
            ToyCell cell = new ToyCell(this, config, defect);
            return switch (defect) {
                case MODIFIES_INPUT, WRITES_OUTSIDE, IGNORES_MASK, WRONG_EXCEPTION -> new Wrapped(cell, defect);
                default -> cell;
            };
        }
    }

    private static final List<ParameterSpec> PARAMS = GatedCell.standardParameters(2);
    private static final List<StateSpec> STATES = List.of(new StateSpec("h", Dim.HIDDEN), new StateSpec("c", Dim.HIDDEN));

    private final Defect defect;
    private int calls; // only used by STATEFUL

    private ToyCell(CellProvider p, CellConfig config, Defect defect) {
        super(p, config, Projections.SUMMED);
        this.defect = defect;
    }

    @Override
    protected int rowTapeSize() {
        return 2 * hidden;
    }

    @Override
    protected <A> void forwardRow(Ops<A> ops, A xp, int xpOff, A hp, int hpOff, A state, int prevOff, int nextOff,
                                  A tape, int tapeOff) {
        int h = hidden;
        ops.sigmoid(h, xp, xpOff, tape, tapeOff);                          // f = σ(a)
        ops.tanh(h, xp, xpOff + h, tape, tapeOff + h);                      // g = tanh(b)
        ops.mul(h, tape, tapeOff, state, prevOff + h, state, nextOff + h);  // c = f ⊙ c_{t-1} + g
        ops.add(h, state, nextOff + h, tape, tapeOff + h, state, nextOff + h);
        if (defect == Defect.SLOPPY_FLOAT32 && ops.precision() == io.github.rnnlab.numeric.Precision.F32) {
            for (int i = 0; i < h; i++) {
                ops.set(state, nextOff + h + i, Math.round(ops.get(state, nextOff + h + i) * 1000) / 1000.0);
            }
        }
        if (defect == Defect.STATEFUL) {
            ops.affine(h, 1.0, state, nextOff + h, 1e-3 * (calls++ % 7), state, nextOff + h);
        }
        ops.tanh(h, state, nextOff + h, state, nextOff);                    // h = tanh(c)
    }

    @Override
    protected <A> void backwardRow(Ops<A> ops, A state, int prevOff, int nextOff, A tape, int tapeOff,
                                   A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff, A dPrev, int dPrevOff) {
        int h = hidden;
        // dc = dc_next + dh ⊙ (1 − h²)
        ops.tanhBackward(h, state, nextOff, dNext, dNextOff, dPrev, dPrevOff + h);
        ops.add(h, dPrev, dPrevOff + h, dNext, dNextOff + h, dPrev, dPrevOff + h);
        ops.mul(h, dPrev, dPrevOff + h, state, prevOff + h, dxp, dxpOff);   // da = dc ⊙ c_{t-1} ⊙ f(1 − f)
        ops.sigmoidBackward(h, tape, tapeOff, dxp, dxpOff, dxp, dxpOff);
        ops.tanhBackward(h, tape, tapeOff + h, dPrev, dPrevOff + h, dxp, dxpOff + h); // db = dc ⊙ (1 − g²)
        if (defect == Defect.WRONG_BACKWARD) {
            ops.fill(h, 0.0, dPrev, dPrevOff + h);
        } else {
            ops.mul(h, dPrev, dPrevOff + h, tape, tapeOff, dPrev, dPrevOff + h); // dc_{t-1} = dc ⊙ f
        }
        ops.fill(h, 0.0, dPrev, dPrevOff);
    }

    /** Delegates to a correct cell and breaks the buffer discipline as {@code defect} says. */
    static final class Wrapped implements Cell {
        private final Cell inner;
        private final Defect defect;

        Wrapped(Cell inner, Defect defect) {
            this.inner = inner;
            this.defect = defect;
        }

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public CellConfig config() {
            return inner.config();
        }

        @Override
        public io.github.rnnlab.cell.CellLayout layout() {
            return inner.layout();
        }

        @Override
        public long tapeSize(int steps, int batch) {
            return inner.tapeSize(steps, batch);
        }

        @Override
        public long workspaceSize(int steps, int batch) {
            return inner.workspaceSize(steps, batch);
        }

        @Override
        public <A> void forward(Ops<A> ops, io.github.rnnlab.cell.Chunk<A> c) {
            io.github.rnnlab.cell.Chunk<A> use = defect != Defect.IGNORES_MASK ? c
                    : new io.github.rnnlab.cell.Chunk<>(c.steps(), c.batch(), c.inputSize(), c.input(), null, c.parameters(),
                    c.initialState(), c.output(), c.finalState(), c.tape(), c.workspace());
            try {
                inner.forward(ops, use);
            } catch (io.github.rnnlab.ShapeException e) {
                if (defect == Defect.WRONG_EXCEPTION) {
                    throw new IllegalArgumentException("bad input");
                }
                throw e;
            }
            if (c.steps() * c.batch() > 0) {
                if (defect == Defect.MODIFIES_INPUT) {
                    ops.set(c.input().array(), c.input().offset(), 42.0);
                }
                if (defect == Defect.WRITES_OUTSIDE) {
                    ops.set(c.output().array(), c.output().offset() - 1, 1.0);
                }
            }
        }

        @Override
        public <A> void backward(Ops<A> ops, io.github.rnnlab.cell.Chunk<A> c, io.github.rnnlab.cell.ChunkGradients<A> g) {
            inner.backward(ops, c, g);
        }
    }
}
