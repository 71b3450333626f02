package io.github.rnnlab.cell;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Ops;

/**
 * A run of time steps handed to {@link Cell#forward} and {@link Cell#backward}: the buffers, as
 * {@link Slice}s into arrays the caller owns. Layouts are row-major:
 * <ul>
 *   <li>{@code input}: (steps, batch, inputSize), not modified;</li>
 *   <li>{@code mask}: (steps, batch) {@code float}s, 1 = valid step, 0 = padding; {@code null} when every
 *       step is valid. At a padded step a cell must keep the state unchanged, write output 0, and pass
 *       no gradient to parameters or input (the state gradient passes through unchanged);</li>
 *   <li>{@code parameters}: the cell's flat parameter vector ({@link CellLayout}), not modified;</li>
 *   <li>{@code initialState}: (batch, stateSize), not modified;</li>
 *   <li>{@code output}: (steps, batch, outputSize), written;</li>
 *   <li>{@code finalState}: (batch, stateSize), written: the state after the last valid step of each row;</li>
 *   <li>{@code tape}: {@link Cell#tapeSize}(steps, batch) elements the forward pass keeps for the backward
 *       pass; {@code null} for inference, in which case {@link Cell#backward} must not be called;</li>
 *   <li>{@code workspace}: {@link Cell#workspaceSize}(steps, batch) elements of scratch, clobbered freely.</li>
 * </ul>
 * Output regions must not overlap input regions.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public record Chunk<A>(int steps, int batch, int inputSize,
                       Slice<A> input, Slice<float[]> mask, Slice<A> parameters,
                       Slice<A> initialState, Slice<A> output, Slice<A> finalState,
                       Slice<A> tape, Slice<A> workspace) {

    public Chunk {
        if (steps < 0 || batch < 0 || inputSize < 0) {
            throw new ShapeException("a chunk needs non-negative steps, batch and input size, got steps=" + steps
                    + " batch=" + batch + " inputSize=" + inputSize);
        }
        if (input == null || parameters == null || initialState == null || output == null || finalState == null) {
            throw new IllegalArgumentException("a chunk needs input, parameters, initial state, output and final state");
        }
    }

    /**
     * Checks this chunk against {@code cell}'s configuration and layout: the input size and every
     * region's extent. Cells must call this (or check equivalently) before touching any buffer.
     *
     * @throws ShapeException naming the first region that does not fit, with "expected … got …"
     */
    public void check(Cell cell, Ops<A> ops, boolean forBackward) {
        ShapeException.check("input size of cell " + cell.id(), cell.config().inputSize(), inputSize);
        long rows = (long) steps * batch;
        int s = cell.layout().stateSize();
        ShapeException.checkRegion("input (steps·batch·inputSize)", ops.length(input.array()), input.offset(), rows * inputSize);
        if (mask != null) {
            ShapeException.checkRegion("mask (steps·batch)", mask.array().length, mask.offset(), rows);
        }
        ShapeException.checkRegion("parameters", ops.length(parameters.array()), parameters.offset(), cell.layout().parameterCount());
        ShapeException.checkRegion("initial state (batch·stateSize)", ops.length(initialState.array()), initialState.offset(), (long) batch * s);
        ShapeException.checkRegion("output (steps·batch·outputSize)", ops.length(output.array()), output.offset(), rows * cell.outputSize());
        ShapeException.checkRegion("final state (batch·stateSize)", ops.length(finalState.array()), finalState.offset(), (long) batch * s);
        if (tape != null) {
            ShapeException.checkRegion("tape", ops.length(tape.array()), tape.offset(), cell.tapeSize(steps, batch));
        } else if (forBackward) {
            throw new IllegalStateException("backward needs the tape of a training forward pass; this chunk has none");
        }
        long ws = cell.workspaceSize(steps, batch);
        if (ws > 0) {
            if (workspace == null) {
                throw ShapeException.expected("workspace elements", ws, 0);
            }
            ShapeException.checkRegion("workspace", ops.length(workspace.array()), workspace.offset(), ws);
        }
    }

    /** Whether step {@code t} of batch row {@code b} is valid (not padding). */
    public boolean valid(int t, int b) {
        return mask == null || mask.array()[mask.offset() + t * batch + b] != 0f;
    }
}
