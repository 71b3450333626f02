package io.github.rnnlab.cell;

import io.github.rnnlab.numeric.Ops;

/**
 * A recurrent cell created for one configuration: the math of one step, run over a chunk of steps,
 * forward and (by hand) backward, in either precision.
 *
 * <p>A cell is written once against {@link Ops}: the same code runs on {@code float[]} with the Vector
 * API kernels for training and on {@code double[]} as the reference path for gradient checks. A cell
 * may add a fused float32 fast path; the plugin TCK checks it against the float64 path.
 *
 * <p>Most cells extend {@link GatedCell}, which implements all of this for cells of the form "project
 * the input and the previous h for all gates, then pointwise gate math". The plugin TCK
 * ({@code io.github.rnnlab.tck.CellContract}) checks every rule below.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>A cell must be immutable and hold no per-call state, so that one instance serves several
 *       layers, directions and threads at once; everything a call needs is in its {@link Chunk}.</li>
 *   <li>{@link #forward} must compute, for t = 0…steps-1 and every batch row, the state after step t
 *       from the state before it and the input at t, write the output of step t, and leave the
 *       state after the last valid step in {@code finalState}. At a padded step (mask 0) it must keep
 *       the state unchanged and write output 0.</li>
 *   <li>{@link #forward} with {@code steps = 1} and no tape is a streaming step; it must give the same
 *       numbers as step 1 of a longer chunk.</li>
 *   <li>{@link #backward} must compute the exact gradients of L with respect to the parameters
 *       (accumulated), the input and the initial state (overwritten), given dL/d output and
 *       dL/d finalState, for the chunk and tape of the preceding forward pass; it must give no
 *       gradient to parameters or input at padded steps.</li>
 *   <li>Neither may modify its inputs, allocate per time step, or keep references to the buffers.
 *       Both must call {@link Chunk#check} (and {@link ChunkGradients#check}) first, so that a wrong
 *       input size throws {@link io.github.rnnlab.ShapeException} with "expected … got …".</li>
 *   <li>Each must write every element of the regions it writes (output, final state, tape; input and
 *       initial-state gradients) and only those; it must not read tape or workspace it has not
 *       written in the same call, except that backward reads the tape forward wrote. Backward must
 *       not rely on the workspace contents forward left: between the two, the caller may use the
 *       workspace for anything.</li>
 *   <li>Results must be deterministic: the same inputs give bit-identical outputs for a given
 *       {@link Ops} (precision, SIMD switch and thread count).</li>
 * </ul>
 */
public interface Cell {

    /** The id of the provider that created this cell. */
    String id();

    /** The configuration this cell was created for (options filled with their defaults). */
    CellConfig config();

    /** Where parameters and states live. */
    CellLayout layout();

    /** Elements of output per step and batch row (the hidden size for every built-in cell). */
    default int outputSize() {
        return config().hiddenSize();
    }

    /** Elements of tape a training forward pass of {@code steps} × {@code batch} needs. */
    long tapeSize(int steps, int batch);

    /** Elements of scratch a forward or backward pass of {@code steps} × {@code batch} needs (0 if none). */
    long workspaceSize(int steps, int batch);

    /** Runs the chunk forward. See the class comment for the contract and {@link Chunk} for layouts. */
    <A> void forward(Ops<A> ops, Chunk<A> chunk);

    /**
     * Runs the chunk backward after a training {@link #forward} of the same chunk (same buffers,
     * tape intact). See {@link ChunkGradients} for what is read, written and accumulated.
     */
    <A> void backward(Ops<A> ops, Chunk<A> chunk, ChunkGradients<A> grads);
}
