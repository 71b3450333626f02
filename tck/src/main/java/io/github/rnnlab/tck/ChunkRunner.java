package io.github.rnnlab.tck;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.ChunkGradients;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.numeric.Ops;
import io.github.rnnlab.numeric.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a cell on a {@link Fixture} in a given precision, the way an engine would, and checks the
 * buffer discipline of the SPI on every run:
 * <ul>
 *   <li>every buffer sits at a non-trivial offset inside a larger array whose other elements hold a
 *       guard value: a cell that writes outside its regions fails;</li>
 *   <li>tape, workspace, input gradient and initial-state gradient start as NaN: a cell that reads
 *       scratch it did not write, or does not overwrite what it must overwrite, produces NaN;</li>
 *   <li>the parameter gradient starts at {@link Fixture#gradientSeed()}: backward must add to it;</li>
 *   <li>input, mask, parameters, initial state and the incoming gradients must be unchanged after
 *       the run.</li>
 * </ul>
 * A violation throws {@link AssertionError}.
 */
public final class ChunkRunner {
    /** Elements of guard after every region. */
    static final int GUARD_TAIL = 3;
    /** The value guard elements hold. */
    static final double GUARD = -7777.25;

    private ChunkRunner() {
    }

    /** What a run computes. */
    public enum Mode {
        /** Forward without a tape. */
        INFERENCE,
        /** Forward with a tape, then backward. */
        TRAINING
    }

    /**
     * The results of a run, widened to double. Gradients are null after an inference run.
     *
     * @param output           (T, B, outputSize)
     * @param finalState       (B, S)
     * @param parameterGrad    what backward added to the parameter gradient (the seed subtracted)
     * @param inputGrad        dL/d input
     * @param initialStateGrad dL/d initial state
     */
    public record Result(double[] output, double[] finalState, double[] parameterGrad, double[] inputGrad,
                         double[] initialStateGrad) {
    }

    /** Runs {@code cell} on {@code f} with {@code ops} in {@code mode}. */
    public static <A> Result run(Cell cell, Ops<A> ops, Fixture f, Mode mode) {
        Rng offsets = new Rng(f.offsetSeed());
        int t = f.steps(), b = f.batch();
        int s = cell.layout().stateSize();
        int outLen = t * b * cell.outputSize();
        List<Region<A>> inputs = new ArrayList<>();
        List<Region<A>> all = new ArrayList<>();

        Region<A> input = Region.of(ops, f.input(), offsets, "input");
        Region<A> params = Region.of(ops, f.parameters(), offsets, "parameters");
        Region<A> init = Region.of(ops, f.initialState(), offsets, "initial state");
        inputs.add(input);
        inputs.add(params);
        inputs.add(init);
        Region<A> output = Region.filled(ops, outLen, Double.NaN, offsets, "output");
        Region<A> fin = Region.filled(ops, b * s, Double.NaN, offsets, "final state");
        boolean training = mode == Mode.TRAINING;
        Region<A> tape = training ? Region.filled(ops, Math.toIntExact(cell.tapeSize(t, b)), Double.NaN, offsets, "tape") : null;
        Region<A> ws = Region.filled(ops, Math.toIntExact(cell.workspaceSize(t, b)), Double.NaN, offsets, "workspace");
        float[] maskArr = null;
        int maskOff = 0;
        if (f.mask() != null) {
            maskOff = 1 + offsets.nextInt(4);
            maskArr = new float[maskOff + f.mask().length + GUARD_TAIL];
            java.util.Arrays.fill(maskArr, (float) GUARD);
            System.arraycopy(f.mask(), 0, maskArr, maskOff, f.mask().length);
        }
        float[] maskBefore = maskArr == null ? null : maskArr.clone();
        all.addAll(inputs);
        all.add(output);
        all.add(fin);
        if (tape != null) {
            all.add(tape);
        }
        all.add(ws);

        Chunk<A> chunk = new Chunk<>(t, b, f.inputSize(), input.slice(), maskArr == null ? null : new Slice<>(maskArr, maskOff),
                params.slice(), init.slice(), output.slice(), fin.slice(), tape == null ? null : tape.slice(), ws.slice());
        cell.forward(ops, chunk);

        Region<A> paramGrad = null, inputGrad = null, initGrad = null;
        if (training) {
            Region<A> dOut = Region.of(ops, f.outputGrad(), offsets, "output gradient");
            Region<A> dFin = Region.of(ops, f.finalStateGrad(), offsets, "final state gradient");
            paramGrad = Region.of(ops, f.gradientSeed(), offsets, "parameter gradient");
            inputGrad = Region.filled(ops, f.input().length, Double.NaN, offsets, "input gradient");
            initGrad = Region.filled(ops, b * s, Double.NaN, offsets, "initial state gradient");
            inputs.add(dOut);
            inputs.add(dFin);
            all.add(dOut);
            all.add(dFin);
            all.add(paramGrad);
            all.add(inputGrad);
            all.add(initGrad);
            // tape and workspace: a backward pass may find the workspace as forward left it, or not
            ops.fill(ws.length, Double.NaN, ws.array, ws.offset);
            ChunkGradients<A> g = new ChunkGradients<>(dOut.slice(), dFin.slice(), paramGrad.slice(),
                    inputGrad.slice(), initGrad.slice());
            cell.backward(ops, chunk, g);
        }

        for (Region<A> r : all) {
            r.checkGuards(ops);
        }
        for (Region<A> r : inputs) {
            r.checkUnchanged(ops);
        }
        if (maskArr != null && !java.util.Arrays.equals(maskArr, maskBefore)) {
            throw new AssertionError(cell.id() + " modified the mask (or wrote next to it)");
        }
        double[] pg = null;
        if (paramGrad != null) {
            pg = paramGrad.toDoubles(ops);
            for (int i = 0; i < pg.length; i++) {
                pg[i] -= paramGrad.snapshot[i]; // the seed, as stored
            }
        }
        return new Result(output.toDoubles(ops), fin.toDoubles(ops), pg,
                inputGrad == null ? null : inputGrad.toDoubles(ops), initGrad == null ? null : initGrad.toDoubles(ops));
    }

    /**
     * Runs {@code f} one step at a time, each step an inference chunk of {@code steps = 1} whose initial
     * state is the previous step's final state: streaming inference.
     */
    public static <A> Result runStepByStep(Cell cell, Ops<A> ops, Fixture f) {
        int t = f.steps(), b = f.batch(), n = f.inputSize(), out = cell.outputSize();
        double[] output = new double[t * b * out];
        double[] state = f.initialState().clone();
        for (int step = 0; step < t; step++) {
            double[] x = java.util.Arrays.copyOfRange(f.input(), step * b * n, (step + 1) * b * n);
            float[] m = f.mask() == null ? null : java.util.Arrays.copyOfRange(f.mask(), step * b, (step + 1) * b);
            Fixture one = new Fixture(1, b, n, x, m, f.parameters(), state, new double[b * out],
                    new double[state.length], f.gradientSeed(), f.offsetSeed() + step);
            Result r = run(cell, ops, one, Mode.INFERENCE);
            System.arraycopy(r.output(), 0, output, step * b * out, b * out);
            state = r.finalState();
        }
        return new Result(output, state, null, null, null);
    }

    /** A buffer inside a guarded array. */
    private static final class Region<A> {
        final A array;
        final int offset;
        final int length;
        final String name;
        final double[] snapshot;

        private Region(A array, int offset, int length, String name, double[] snapshot) {
            this.array = array;
            this.offset = offset;
            this.length = length;
            this.name = name;
            this.snapshot = snapshot;
        }

        static <A> Region<A> of(Ops<A> ops, double[] values, Rng offsets, String name) {
            Region<A> r = allocate(ops, values.length, offsets, name, true);
            ops.fromDoubles(values.length, values, 0, r.array, r.offset);
            ops.toDoubles(values.length, r.array, r.offset, r.snapshot, 0);
            return r;
        }

        static <A> Region<A> filled(Ops<A> ops, int length, double value, Rng offsets, String name) {
            Region<A> r = allocate(ops, length, offsets, name, false);
            ops.fill(length, value, r.array, r.offset);
            return r;
        }

        private static <A> Region<A> allocate(Ops<A> ops, int length, Rng offsets, String name, boolean keepSnapshot) {
            int offset = 1 + offsets.nextInt(4);
            A a = ops.allocate(offset + length + GUARD_TAIL);
            ops.fill(offset + length + GUARD_TAIL, GUARD, a, 0);
            return new Region<>(a, offset, length, name, keepSnapshot ? new double[length] : null);
        }

        Slice<A> slice() {
            return new Slice<>(array, offset);
        }

        double[] toDoubles(Ops<A> ops) {
            double[] d = new double[length];
            ops.toDoubles(length, array, offset, d, 0);
            return d;
        }

        void checkGuards(Ops<A> ops) {
            int total = ops.length(array);
            for (int i = 0; i < total; i++) {
                if ((i < offset || i >= offset + length) && ops.get(array, i) != GUARD) {
                    throw new AssertionError("the cell wrote outside the " + name + " region: element "
                            + (i - offset) + " relative to its start (region length " + length + ")");
                }
            }
        }

        void checkUnchanged(Ops<A> ops) {
            for (int i = 0; i < length; i++) {
                double v = ops.get(array, offset + i);
                if (Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(snapshot[i])) {
                    throw new AssertionError("the cell modified its " + name + " (element " + i + ": was "
                            + snapshot[i] + ", now " + v + ")");
                }
            }
        }
    }
}
