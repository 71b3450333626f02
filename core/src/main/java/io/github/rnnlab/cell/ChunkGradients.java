package io.github.rnnlab.cell;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.numeric.Ops;

/**
 * The gradient buffers of {@link Cell#backward}, laid out like the {@link Chunk} they belong to:
 * <ul>
 *   <li>{@code outputGrad}: dL/d output, (steps, batch, outputSize), not modified; {@code null} = zero;</li>
 *   <li>{@code finalStateGrad}: dL/d finalState, (batch, stateSize), not modified; {@code null} = zero;</li>
 *   <li>{@code parameterGrad}: dL/d parameters, flat like the parameters: <b>accumulated</b> ({@code +=}),
 *       so chunks, directions and batches can add into one gradient;</li>
 *   <li>{@code inputGrad}: dL/d input, (steps, batch, inputSize), <b>overwritten</b>; {@code null} when not needed;</li>
 *   <li>{@code initialStateGrad}: dL/d initialState, (batch, stateSize), <b>overwritten</b>; {@code null} when not needed.</li>
 * </ul>
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public record ChunkGradients<A>(Slice<A> outputGrad, Slice<A> finalStateGrad, Slice<A> parameterGrad,
                                Slice<A> inputGrad, Slice<A> initialStateGrad) {

    public ChunkGradients {
        if (parameterGrad == null) {
            throw new IllegalArgumentException("backward needs a parameter gradient buffer");
        }
    }

    /** Checks every region's extent against {@code chunk} and {@code cell}. */
    public void check(Cell cell, Ops<A> ops, Chunk<A> chunk) {
        long rows = (long) chunk.steps() * chunk.batch();
        int s = cell.layout().stateSize();
        if (outputGrad != null) {
            ShapeException.checkRegion("output gradient", ops.length(outputGrad.array()), outputGrad.offset(), rows * cell.outputSize());
        }
        if (finalStateGrad != null) {
            ShapeException.checkRegion("final state gradient", ops.length(finalStateGrad.array()), finalStateGrad.offset(), (long) chunk.batch() * s);
        }
        ShapeException.checkRegion("parameter gradient", ops.length(parameterGrad.array()), parameterGrad.offset(), cell.layout().parameterCount());
        if (inputGrad != null) {
            ShapeException.checkRegion("input gradient", ops.length(inputGrad.array()), inputGrad.offset(), rows * chunk.inputSize());
        }
        if (initialStateGrad != null) {
            ShapeException.checkRegion("initial state gradient", ops.length(initialStateGrad.array()), initialStateGrad.offset(), (long) chunk.batch() * s);
        }
    }
}
