package io.github.rnnlab.nn;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.ChunkGradients;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.numeric.Ops;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of recurrent layers over any {@link Cell}: the equivalent of PyTorch's {@code nn.RNN},
 * {@code nn.LSTM} and {@code nn.GRU} for whatever cell the provider makes.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input: (T, B, inputSize);</li>
 *   <li>output: (T, B, W) with W = 2H for {@link Directions#BIDIRECTIONAL_CONCAT} ({@code [h_fwd ; h_bwd]}
 *       per step, as PyTorch) and H otherwise; 0 at padded steps (as {@code pad_packed_sequence});</li>
 *   <li>states: (D·layers, B, S), layer-major, direction-minor (index {@code layer·D + direction}), where
 *       S is the cell's state row (its states concatenated, {@code h} first: S = H for Elman and GRU,
 *       2H for the LSTM's {@code h|c}). PyTorch's {@code h_n} is the {@code h} part of each row.</li>
 * </ul>
 * Layer k &gt; 0 reads layer k−1's output, after inverted dropout in training ({@link RecurrentConfig#dropout()},
 * never after the last layer).
 *
 * <h2>Parameters</h2>
 * For layer k and direction d, every block of the cell's {@link CellLayout} is added to the model's
 * {@link Parameters} as {@code prefix + name + "_l" + k + (d == 1 ? "_reverse" : "")}, in PyTorch's
 * order (layer, then direction, then the cell's block order): {@code rnn.weight_ih_l0, rnn.weight_hh_l0,
 * rnn.bias_ih_l0, rnn.bias_hh_l0, rnn.weight_ih_l0_reverse, …}. Each (layer, direction) region is
 * contiguous and is exactly the cell's flat parameter vector. Blocks are initialised by the cell's
 * {@link io.github.rnnlab.cell.ParameterSpec#initializer()}.
 *
 * <p>Without bias ({@link RecurrentConfig#bias()} false, PyTorch's {@code bias=False}), the blocks whose
 * role is {@link Role#INPUT_BIAS} or {@link Role#RECURRENT_BIAS} are added
 * {@linkplain Parameters.Block#absent() absent}: they keep their place in each region, so every cell
 * runs unchanged, but they hold zeros and {@link #backward} clears their gradients after the cells have
 * accumulated into them. Adding a zero bias changes no value, so forward results and every other
 * gradient are exactly those of a cell without bias terms.
 *
 * <h2>Padding</h2>
 * With a {@link Mask}, padded steps keep the state, output 0 and get no gradient; the final state of a
 * row is its state after its last valid step; the backward direction reads each row's valid steps in
 * reverse ({@link Mask#reversedStep}): the layer gathers its input into a reversed buffer, runs the
 * cell, and scatters the output back.
 *
 * <h2>Buffers</h2>
 * The stack owns its activations, tapes and workspaces, and reuses them from call to call (they grow
 * when a longer sequence or larger batch arrives): {@link #output()}, {@link #finalState()},
 * {@link #inputGradient()} and {@link #initialStateGradient()} are views valid until the next call.
 * The input slice given to a training {@link #forward} must stay unchanged until {@link #backward}.
 * Cells get each layer's whole sequence as one chunk, so they can project all steps' inputs at once.
 *
 * <p>Not thread-safe: one stack serves one thread at a time (threads work inside the {@link Ops}).
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class Recurrent<A> {
    private final Ops<A> ops;
    private final Parameters<A> parameters;
    private final RecurrentConfig config;
    private final String prefix;
    private final Cell[] cells;
    private final int[] offsets;
    private final int layers;
    private final int dirs;
    private final int hidden;
    private final int stateSize;
    private final int width;
    private final List<Parameters.Block> absent = new ArrayList<>();

    private final Buffer.Pool<A> pool;
    private final List<Buffer<A>> out = new ArrayList<>();
    private final List<Buffer<A>> dirOut = new ArrayList<>();
    private final List<Buffer<A>> revIn = new ArrayList<>();
    private final List<Buffer<A>> tapes = new ArrayList<>();
    private final List<Buffer<A>> dropMask = new ArrayList<>();
    private final List<Buffer<A>> dropOut = new ArrayList<>();
    private final Buffer<A> workspace;
    private final Buffer<A> zeroState;
    private final Buffer<A> finalState;
    private final Buffer<A> splitState;
    private final Buffer<A> gradA;
    private final Buffer<A> gradB;
    private final Buffer<A> gradDir;
    private final Buffer<A> gradInDir;
    private final Buffer<A> gradSplit;
    private final Buffer<A> gradInitial;

    // The last forward pass.
    private int steps = -1;
    private int batch;
    private Mask mask;
    private Pass pass;
    private Slice<A> input;
    private boolean dropoutApplied;
    private final List<List<Chunk<A>>> chunks = new ArrayList<>();
    private A inputGradient;
    private boolean backwardDone;

    /**
     * Creates the stack and adds its parameter blocks to {@code parameters} under {@code prefix}
     * (e.g. {@code "rnn."}; may be empty).
     *
     * @throws CellConfig.InvalidConfigException if the cell rejects a layer's configuration
     */
    public Recurrent(Parameters<A> parameters, String prefix, CellProvider cell, RecurrentConfig config) {
        this.ops = parameters.ops();
        this.parameters = parameters;
        this.config = config;
        this.prefix = prefix;
        this.layers = config.layers();
        this.dirs = config.directions().count();
        this.cells = new Cell[layers];
        this.offsets = new int[layers * dirs];
        int in = config.inputSize();
        int w = -1;
        for (int l = 0; l < layers; l++) {
            CellConfig cc = new CellConfig(in, config.hiddenSize(), config.options());
            Cell c = cell.create(cc);
            cells[l] = c;
            for (int d = 0; d < dirs; d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                int first = -1;
                for (CellLayout.ParameterBlock b : c.layout().parameters()) {
                    CellConfig resolved = c.config();
                    Role role = b.spec().role();
                    boolean isAbsent = !config.bias() && role.isBias();
                    Parameters.Block pb = parameters.add(prefix + b.name() + suffix, b.shape(), role, b.spec(), resolved,
                            (v, shape, rng) -> b.spec().initializer().fill(v, shape, resolved, rng), isAbsent);
                    if (isAbsent) {
                        absent.add(pb);
                    }
                    if (first < 0) {
                        first = pb.offset();
                    }
                    if (pb.offset() - first != b.offset()) {
                        throw new IllegalStateException("cell " + c.id() + " layout is not contiguous at " + b.name());
                    }
                }
                offsets[l * dirs + d] = first;
            }
            w = config.directions().outputWidth(c.outputSize());
            in = w;
        }
        this.hidden = cells[0].outputSize();
        this.stateSize = cells[0].layout().stateSize();
        this.width = w;
        for (int l = 1; l < layers; l++) {
            if (cells[l].outputSize() != hidden || cells[l].layout().stateSize() != stateSize) {
                throw new IllegalStateException("cell " + cells[l].id() + " changes its output or state size with the input size");
            }
        }
        this.pool = new Buffer.Pool<>(ops);
        for (int l = 0; l < layers; l++) {
            out.add(pool.create());
            revIn.add(pool.create());
            dropMask.add(pool.create());
            dropOut.add(pool.create());
            for (int d = 0; d < dirs; d++) {
                dirOut.add(pool.create());
                tapes.add(pool.create());
                chunks.add(new ArrayList<>());
            }
        }
        workspace = pool.create();
        zeroState = pool.create();
        finalState = pool.create();
        splitState = pool.create();
        gradA = pool.create();
        gradB = pool.create();
        gradDir = pool.create();
        gradInDir = pool.create();
        gradSplit = pool.create();
        gradInitial = pool.create();
    }

    public RecurrentConfig config() {
        return config;
    }

    /** The cell of layer {@code layer} (both directions share it: cells are immutable). */
    public Cell cell(int layer) {
        return cells[layer];
    }

    /** The offset of layer {@code layer}, direction {@code direction}'s region in the flat parameter vector. */
    public int parameterOffset(int layer, int direction) {
        return offsets[layer * dirs + direction];
    }

    public int inputSize() {
        return config.inputSize();
    }

    /** H: the width of one direction's output. */
    public int hiddenSize() {
        return hidden;
    }

    /** W: the width of the stack's output per step. */
    public int outputSize() {
        return width;
    }

    public int layers() {
        return layers;
    }

    /** D: 1 or 2. */
    public int directions() {
        return dirs;
    }

    /** S: elements of state per (layer, direction) and batch row. */
    public int stateSize() {
        return stateSize;
    }

    /** Elements of a full state (D·layers, B, S) for {@code batch} rows. */
    public int stateLength(int batch) {
        return layers * dirs * batch * stateSize;
    }

    /** The offset of state {@code name} (e.g. {@code "h"}, {@code "c"}) within a state row, and its size. */
    public CellLayout.StateBlock stateBlock(String name) {
        return cells[0].layout().state(name);
    }

    /** Elements the stack's work buffers hold now (activations, tapes, workspaces, gradients). */
    public long bufferElements() {
        return pool.elements();
    }

    /**
     * Runs the stack over a (steps, batch, inputSize) sequence.
     *
     * @param pass         training (tape, dropout) or inference; see {@link Pass}
     * @param input        (steps, batch, inputSize); in training it must stay unchanged until {@link #backward}
     * @param mask         which steps are valid, with this steps and batch; null when all are
     * @param initialState (D·layers, batch, S), or null for zeros
     * @throws ShapeException if a region is too small or the mask does not match
     */
    public void forward(Pass pass, int steps, int batch, Slice<A> input, Mask mask, Slice<A> initialState) {
        int in = config.inputSize();
        if (steps < 0 || batch < 0) {
            throw new ShapeException("steps and batch must be non-negative, got " + steps + " and " + batch);
        }
        ShapeException.checkRegion("input (steps·batch·" + in + ")", ops.length(input.array()), input.offset(), (long) steps * batch * in);
        if (mask != null) {
            ShapeException.check("mask steps", steps, mask.steps());
            ShapeException.check("mask batch", batch, mask.batch());
        }
        int sl = stateLength(batch);
        if (initialState != null) {
            ShapeException.checkRegion("initial state (D·layers·batch·S)", ops.length(initialState.array()), initialState.offset(), sl);
        }
        int split = pass.splitAt();
        if (split > 0 && (dirs != 1 || split > steps)) {
            throw new IllegalArgumentException(dirs != 1
                    ? "a bidirectional stack cannot keep the state at an inner step (the backward direction needs the whole sequence)"
                    : "cannot keep the state after step " + split + " of " + steps);
        }
        this.steps = steps;
        this.batch = batch;
        this.mask = mask;
        this.pass = pass;
        this.input = input;
        this.backwardDone = false;
        Slice<A> h0 = initialState != null ? initialState : Slice.of(zeroState.ensure(sl));
        A hn = finalState.ensure(sl);
        A snap = split > 0 ? splitState.ensure(sl) : null;
        boolean training = pass.training();
        dropoutApplied = training && config.dropout() > 0 && layers > 1;
        long ws = 0;
        for (Cell c : cells) {
            ws = Math.max(ws, c.workspaceSize(steps, batch));
            if (split > 0) {
                ws = Math.max(ws, Math.max(c.workspaceSize(split, batch), c.workspaceSize(steps - split, batch)));
            }
        }
        Slice<A> wsSlice = ws > 0 ? Slice.of(workspace.ensure(ws)) : null;
        int rows = steps * batch;

        Slice<A> layerIn = input;
        int inWidth = in;
        for (int l = 0; l < layers; l++) {
            Cell cell = cells[l];
            A o = out.get(l).ensure((long) rows * width);
            for (int d = 0; d < dirs; d++) {
                int sd = l * dirs + d;
                Slice<A> x = layerIn;
                if (d == 1) {
                    A r = revIn.get(l).ensure((long) rows * inWidth);
                    reverseRows(layerIn.array(), layerIn.offset(), r, 0, inWidth, false);
                    x = Slice.of(r);
                }
                // One direction writes the layer output directly; two write buffers of their own that
                // stay untouched until backward (a cell may keep its output as part of its tape).
                A y = dirs == 1 ? o : dirOut.get(sd).ensure((long) rows * hidden);
                A tape = null;
                if (training) {
                    long t = split > 0 && split < steps
                            ? cell.tapeSize(split, batch) + cell.tapeSize(steps - split, batch)
                            : cell.tapeSize(steps, batch);
                    tape = tapes.get(sd).ensure(t);
                }
                runForward(cell, sd, x, inWidth, h0, hn, snap, y, tape, wsSlice);
            }
            if (dirs == 2) {
                merge(o, l);
            }
            if (l < layers - 1) {
                if (dropoutApplied) {
                    A m = dropMask.get(l).ensure((long) rows * width);
                    A dropped = dropOut.get(l).ensure((long) rows * width);
                    Dropout.fill(ops, m, 0, steps, batch, width, config.dropout(), pass.dropoutSeed(), l, pass.firstStep());
                    ops.mul(rows * width, o, 0, m, 0, dropped, 0);
                    layerIn = Slice.of(dropped);
                } else {
                    layerIn = Slice.of(o);
                }
                inWidth = width;
            }
        }
    }

    private void runForward(Cell cell, int sd, Slice<A> x, int inWidth, Slice<A> h0, A hn, A snap, A y, A tape, Slice<A> ws) {
        int stateOff = sd * batch * stateSize;
        int split = pass.splitAt();
        Slice<A> init = h0.plus(stateOff);
        Slice<A> fin = new Slice<>(hn, stateOff);
        Slice<A> params = new Slice<>(parameters.values(), offsets[sd]);
        List<Chunk<A>> list = chunks.get(sd);
        list.clear();
        if (steps == 0 || batch == 0) {
            ops.copy(batch * stateSize, init.array(), init.offset(), hn, stateOff);
            if (snap != null) {
                ops.copy(batch * stateSize, init.array(), init.offset(), snap, stateOff);
            }
            return;
        }
        Slice<float[]> m = mask == null || mask.allValid() ? null : Slice.of(mask.array());
        if (split > 0 && split < steps) {
            Slice<A> mid = new Slice<>(snap, stateOff);
            list.add(new Chunk<>(split, batch, inWidth, x, m, params, init, new Slice<>(y, 0), mid,
                    tape == null ? null : new Slice<>(tape, 0), ws));
            long t1 = tape == null ? 0 : cell.tapeSize(split, batch);
            list.add(new Chunk<>(steps - split, batch, inWidth, x.plus(split * batch * inWidth),
                    m == null ? null : m.plus(split * batch), params, mid, new Slice<>(y, split * batch * hidden), fin,
                    tape == null ? null : new Slice<>(tape, (int) t1), ws));
        } else {
            list.add(new Chunk<>(steps, batch, inWidth, x, m, params, init, new Slice<>(y, 0), fin,
                    tape == null ? null : new Slice<>(tape, 0), ws));
        }
        for (Chunk<A> c : list) {
            cell.forward(ops, c);
        }
        if (split == steps) {
            ops.copy(batch * stateSize, hn, stateOff, snap, stateOff);
        }
    }

    /** Combines the directions of layer {@code l} into its output {@code o}. */
    private void merge(A o, int l) {
        A fwd = dirOut.get(l * dirs).array();
        A bwd = dirOut.get(l * dirs + 1).array();
        boolean concat = config.directions() == Directions.BIDIRECTIONAL_CONCAT;
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int src = t * batch + b;
                // The backward direction's step t is the sequence's step reversed(t).
                int dst = (mask == null ? steps - 1 - t : mask.reversedStep(t, b)) * batch + b;
                if (concat) {
                    ops.copy(hidden, fwd, src * hidden, o, src * width);
                    ops.copy(hidden, bwd, src * hidden, o, dst * width + hidden);
                } else {
                    ops.add(hidden, fwd, dst * hidden, bwd, src * hidden, o, dst * width);
                }
            }
        }
    }

    /**
     * Copies (accumulate = false) or adds (true) each (t, b) row of {@code n} elements of {@code src}
     * to row (reversed t, b) of {@code dst}.
     */
    private void reverseRows(A src, int srcOff, A dst, int dstOff, int n, boolean accumulate) {
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int r = (mask == null ? steps - 1 - t : mask.reversedStep(t, b)) * batch + b;
                int s = srcOff + (t * batch + b) * n;
                int d = dstOff + r * n;
                if (accumulate) {
                    ops.add(n, dst, d, src, s, dst, d);
                } else {
                    ops.copy(n, src, s, dst, d);
                }
            }
        }
    }

    /**
     * Back-propagates through the last training {@link #forward}: accumulates (+=) every parameter
     * gradient into {@link Parameters#gradients()} and, on request, computes dL/d input
     * ({@link #inputGradient()}) and dL/d initial state ({@link #initialStateGradient()}).
     *
     * @param outputGrad        dL/d output (T, B, W), or null for zero
     * @param finalStateGrad    dL/d final state (D·layers, B, S), or null for zero
     * @param wantInputGrad     whether to compute dL/d input
     * @param wantInitialGrad   whether to compute dL/d initial state
     * @throws IllegalStateException if the last forward was not a training pass, or was already back-propagated
     */
    public void backward(Slice<A> outputGrad, Slice<A> finalStateGrad, boolean wantInputGrad, boolean wantInitialGrad) {
        backward(outputGrad, null, finalStateGrad, wantInputGrad, wantInitialGrad);
    }

    /**
     * {@link #backward(Slice, Slice, boolean, boolean)} with, besides dL/d output, dL/d
     * {@link #finalOutput} {@code finalOutputGrad} (B, W), or null for zero: the loss of a model that
     * reads each direction's final output (a many-to-one classifier).
     */
    public void backward(Slice<A> outputGrad, Slice<A> finalOutputGrad, Slice<A> finalStateGrad,
                         boolean wantInputGrad, boolean wantInitialGrad) {
        if (steps < 0 || !pass.training()) {
            throw new IllegalStateException("backward needs a preceding training forward pass");
        }
        if (backwardDone) {
            throw new IllegalStateException("backward was already run for this forward pass (its gradients are accumulated once)");
        }
        backwardDone = true;
        int rows = steps * batch;
        if (outputGrad != null) {
            ShapeException.checkRegion("output gradient (T·B·W)", ops.length(outputGrad.array()), outputGrad.offset(), (long) rows * width);
        }
        int sl = stateLength(batch);
        if (finalStateGrad != null) {
            ShapeException.checkRegion("final state gradient (D·layers·B·S)", ops.length(finalStateGrad.array()), finalStateGrad.offset(), sl);
        }
        if (finalOutputGrad != null) {
            ShapeException.checkRegion("final output gradient (B·W)", ops.length(finalOutputGrad.array()), finalOutputGrad.offset(), (long) batch * width);
        }
        A dInit = wantInitialGrad ? gradInitial.ensure(sl) : null;
        A dSplit = gradSplit.ensure((long) batch * stateSize);
        int maxIn = Math.max(config.inputSize(), width);
        Slice<A> g = outputGrad;
        Buffer<A> next = gradA;
        inputGradient = null;
        for (int l = layers - 1; l >= 0; l--) {
            int inWidth = l == 0 ? config.inputSize() : width;
            boolean needIn = l > 0 || wantInputGrad;
            A dx = needIn ? next.ensure((long) rows * maxIn) : null;
            Slice<A> x = l == 0 ? input : Slice.of(dropoutApplied ? dropOut.get(l - 1).array() : out.get(l - 1).array());
            for (int d = 0; d < dirs; d++) {
                int sd = l * dirs + d;
                Slice<A> dy = directionGradient(g, d);
                if (l == layers - 1 && finalOutputGrad != null) {
                    dy = withFinalOutputGradient(dy, finalOutputGrad, d);
                }
                A dxd = !needIn ? null : d == 0 ? dx : gradInDir.ensure((long) rows * inWidth);
                Slice<A> fsg = finalStateGrad == null ? null : finalStateGrad.plus(sd * batch * stateSize);
                Slice<A> isg = dInit == null ? null : new Slice<>(dInit, sd * batch * stateSize);
                runBackward(cells[l], sd, dy, fsg, dxd, isg, dSplit);
                if (d == 1 && needIn) {
                    reverseRows(dxd, 0, dx, 0, inWidth, true);
                }
            }
            if (l > 0) {
                if (dropoutApplied) {
                    ops.mul(rows * width, dx, 0, dropMask.get(l - 1).array(), 0, dx, 0);
                }
                g = Slice.of(dx);
                next = next == gradA ? gradB : gradA;
            } else if (wantInputGrad) {
                inputGradient = dx;
            }
        }
        if (!absent.isEmpty()) {
            parameters.clearGradients(absent); // bias=False: the cells accumulated into blocks the model does not have
        }
    }

    /** dL/d (direction d's cell output), in the cell's time order, or null for zero. */
    private Slice<A> directionGradient(Slice<A> g, int d) {
        if (g == null || dirs == 1) {
            return g;
        }
        boolean concat = config.directions() == Directions.BIDIRECTIONAL_CONCAT;
        if (d == 0 && !concat) {
            return g;
        }
        int rows = steps * batch;
        A buf = gradDir.ensure((long) rows * hidden);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int src = (d == 0 ? t : mask == null ? steps - 1 - t : mask.reversedStep(t, b)) * batch + b;
                ops.copy(hidden, g.array(), g.offset() + src * width + (concat && d == 1 ? hidden : 0), buf, (t * batch + b) * hidden);
            }
        }
        return Slice.of(buf);
    }

    /**
     * Direction d's output gradient (its own time order; null = zero) plus its part of dL/d
     * {@link #finalOutput} at each row's last valid step (in the direction's own time order, the
     * backward direction's final output is also at the row's last valid position).
     */
    private Slice<A> withFinalOutputGradient(Slice<A> dy, Slice<A> fog, int d) {
        int rows = steps * batch;
        A buf = gradDir.ensure((long) rows * hidden);
        if (dy == null) {
            ops.fill(rows * hidden, 0, buf, 0);
        } else if (dy.array() != buf || dy.offset() != 0) {
            ops.copy(rows * hidden, dy.array(), dy.offset(), buf, 0);
        }
        int col = config.directions() == Directions.BIDIRECTIONAL_CONCAT ? d * hidden : 0;
        for (int b = 0; b < batch; b++) {
            int t = mask == null ? steps - 1 : mask.lastValid(b);
            if (t >= 0) {
                int at = (t * batch + b) * hidden;
                ops.add(hidden, buf, at, fog.array(), fog.offset() + b * width + col, buf, at);
            }
        }
        return Slice.of(buf);
    }

    private void runBackward(Cell cell, int sd, Slice<A> dy, Slice<A> fsg, A dx, Slice<A> isg, A dSplit) {
        List<Chunk<A>> list = chunks.get(sd);
        Slice<A> pg = new Slice<>(parameters.gradients(), offsets[sd]);
        if (list.isEmpty()) {
            // No steps (or no rows): the final state is the initial state.
            if (isg != null) {
                if (fsg != null) {
                    ops.copy(batch * stateSize, fsg.array(), fsg.offset(), isg.array(), isg.offset());
                } else {
                    ops.fill(batch * stateSize, 0, isg.array(), isg.offset());
                }
            }
            return;
        }
        int inWidth = list.get(0).inputSize();
        Slice<A> carry = fsg;
        for (int i = list.size() - 1; i >= 0; i--) {
            Chunk<A> c = list.get(i);
            int from = i == 0 ? 0 : list.get(0).steps();
            Slice<A> cdy = dy == null ? null : dy.plus(from * batch * hidden);
            Slice<A> cdx = dx == null ? null : new Slice<>(dx, from * batch * inWidth);
            Slice<A> cisg = i == 0 ? isg : Slice.of(dSplit);
            cell.backward(ops, c, new ChunkGradients<>(cdy, carry, pg, cdx, cisg));
            carry = cisg;
        }
    }

    /** The output (T, B, W) of the last forward pass, from index 0. */
    public A output() {
        requireForward();
        return out.get(layers - 1).array();
    }

    /** The final state (D·layers, B, S) of the last forward pass, from index 0. */
    public A finalState() {
        requireForward();
        return finalState.array();
    }

    /** The state (D·layers, B, S) after step {@link Pass#splitAt()} of the last forward pass. */
    public A splitState() {
        requireForward();
        if (pass.splitAt() == 0) {
            throw new IllegalStateException("the last forward pass kept no inner state (Pass.splitAt was 0)");
        }
        return splitState.array();
    }

    /** dL/d input (T, B, inputSize) of the last {@link #backward} that asked for it, from index 0. */
    public A inputGradient() {
        if (inputGradient == null) {
            throw new IllegalStateException("the last backward pass did not compute the input gradient");
        }
        return inputGradient;
    }

    /** dL/d initial state (D·layers, B, S) of the last {@link #backward} that asked for it, from index 0. */
    public A initialStateGradient() {
        return gradInitial.array();
    }

    /**
     * Copies each row's output at its last valid step into {@code dst} (B, W) from {@code dstOff}: the
     * "last step" of a many-to-one model (zeros for a row without valid steps).
     */
    public void lastOutput(A dst, int dstOff) {
        requireForward();
        A o = output();
        for (int b = 0; b < batch; b++) {
            int t = mask == null ? steps - 1 : mask.lastValid(b);
            if (t < 0) {
                ops.fill(width, 0, dst, dstOff + b * width);
            } else {
                ops.copy(width, o, (t * batch + b) * width, dst, dstOff + b * width);
            }
        }
    }

    /**
     * Copies into {@code dst} (B, W) from {@code dstOff} each direction's output after it has read the
     * whole row: the forward direction's output at the row's last valid step, the backward
     * direction's at the row's first valid step (where it has read the row back to its start),
     * concatenated as the per-step output is ({@code [fwd ; bwd]}) or summed. This is the "final h"
     * summary of a many-to-one model ({@code cat(h_n[-2], h_n[-1])} in PyTorch) for any cell, also
     * one whose state is not its output; for the built-in cells, whose output is h, it equals the h
     * part of the top layer's final state. Zeros for a row without valid steps. Its gradient enters
     * through {@link #backward(Slice, Slice, Slice, boolean, boolean)}.
     */
    public void finalOutput(A dst, int dstOff) {
        requireForward();
        int top = layers - 1;
        boolean sum = config.directions() == Directions.BIDIRECTIONAL_SUM;
        for (int b = 0; b < batch; b++) {
            int t = mask == null ? steps - 1 : mask.lastValid(b);
            int row = dstOff + b * width;
            if (t < 0) {
                ops.fill(width, 0, dst, row);
                continue;
            }
            int at = (t * batch + b) * hidden;
            if (dirs == 1) {
                ops.copy(hidden, out.get(top).array(), at, dst, row);
            } else if (sum) {
                ops.add(hidden, dirOut.get(top * dirs).array(), at, dirOut.get(top * dirs + 1).array(), at, dst, row);
            } else {
                ops.copy(hidden, dirOut.get(top * dirs).array(), at, dst, row);
                ops.copy(hidden, dirOut.get(top * dirs + 1).array(), at, dst, row + hidden);
            }
        }
    }

    /**
     * One named state of a full state vector as PyTorch shapes it: (D·layers, B, size), e.g.
     * {@code h_n} = {@code state(finalState(), "h", B)}.
     */
    public double[] state(A states, String name, int batch) {
        CellLayout.StateBlock sb = stateBlock(name);
        int n = layers * dirs * batch;
        double[] outv = new double[n * sb.size()];
        for (int r = 0; r < n; r++) {
            ops.toDoubles(sb.size(), states, r * stateSize + sb.offset(), outv, r * sb.size());
        }
        return outv;
    }

    private void requireForward() {
        if (steps < 0) {
            throw new IllegalStateException("no forward pass has run yet");
        }
    }
}
