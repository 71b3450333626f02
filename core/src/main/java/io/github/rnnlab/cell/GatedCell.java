package io.github.rnnlab.cell;

import io.github.rnnlab.init.Initializers;
import io.github.rnnlab.kernel.PackedGemm;
import io.github.rnnlab.kernel.Transpose;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.numeric.Ops;

import java.util.List;

/**
 * The base of every cell whose step is "project, then apply gate math": per step and batch row,
 * <pre>
 *   xp_t = x_t·W_ihᵀ + b_ih          (G·H)   input projection of all G gates
 *   hp_t = h_{t-1}·W_hhᵀ + b_hh      (G·H)   recurrent projection of all G gates
 *   state_t = gates(xp_t, hp_t, state_{t-1})  pointwise, written by the subclass
 * </pre>
 * with the parameters {@code weight_ih} (G·H, in), {@code weight_hh} (G·H, H), {@code bias_ih} (G·H)
 * and {@code bias_hh} (G·H), gate blocks stacked in the rows, and the states of the provider
 * ({@code h} first, H wide; more may follow, e.g. the LSTM's {@code c}). The output of a step is its h.
 *
 * <p>The base does everything but the gate math, in either precision:
 * <ul>
 *   <li>forward: the input projection of every step of the chunk as one GEMM, then per step one
 *       recurrent GEMM for all gates and one {@link #forwardRows} call per run of valid rows;</li>
 *   <li>masks: a padded row keeps its state, outputs 0, gets no gradient to parameters or input, and
 *       passes its state gradient through;</li>
 *   <li>backward: the time loop calling {@link #backwardRows} and adding {@code dhp_t·W_hh} to the
 *       h-gradient of the previous state, then the weight gradients as large GEMMs over all steps
 *       ({@code dW_ih += dXPᵀ·X}, {@code dW_hh += dHPᵀ·H_prev}, biases as column sums,
 *       {@code dX = dXP·W_ih});</li>
 *   <li>no allocation inside the time loop; the rows of a step are split across {@link Ops#team()}
 *       when it has several members and the batch is large enough.</li>
 * </ul>
 *
 * <p>A subclass writes the gate math of one batch row, once, against {@link Ops}: {@link #forwardRow},
 * {@link #backwardRow} and {@link #rowTapeSize()}. With {@link Projections#SUMMED} the base adds the
 * two projections itself (the recurrent GEMM accumulates into the input projection, β = 1), which is
 * right for every cell whose gates see only {@code xp + hp} (Elman, LSTM); {@link Projections#SEPARATE}
 * hands both to the gate math (GRU, whose n gate applies r after the recurrent product). A fused
 * float32 fast path overrides {@link #forwardRows}/{@link #backwardRows} and falls back to the
 * generic path for other precisions; the plugin TCK checks it against the float64 path.
 *
 * <h2>Buffers</h2>
 * Tape, per training forward pass: the states before and after every step, (steps+1, batch, S),
 * then {@link #rowTapeSize()} elements per step and row. Workspace: the projections (and in backward
 * their gradients) of every step, plus two state rows per batch row.
 */
public abstract class GatedCell implements Cell {

    /** How the input and recurrent projections reach the gate math. */
    protected enum Projections {
        /**
         * The gates see only {@code xp + hp}: the base adds {@code b_hh} into the input projection and
         * lets the recurrent GEMM accumulate into it, so {@code hp} is the same region as {@code xp}
         * and holds the sum; in backward {@code dhp} is the same region as {@code dxp}.
         */
        SUMMED,
        /** The gate math combines {@code xp} and {@code hp} itself; both are separate regions. */
        SEPARATE
    }

    private final String id;
    private final CellConfig config;
    private final CellLayout layout;
    private final Projections projections;

    /** Hidden size H. */
    protected final int hidden;
    /** Input size (features per step). */
    protected final int inputSize;
    /** Gate count G. */
    protected final int gates;
    /** G·H: elements of a projection row. */
    protected final int gateWidth;
    /** Elements of state per batch row (H for h alone, 2H for h and c). */
    protected final int stateSize;

    private final int weightIh;
    private final int weightHh;
    private final int biasIh;
    private final int biasHh;

    /**
     * Resolves {@code provider}'s specs for {@code config} (options filled with their defaults) and
     * checks that they have the gated shape described in the class comment.
     *
     * @throws CellConfig.InvalidConfigException for an unknown option
     * @throws IllegalArgumentException if the provider's parameters or states do not have that shape
     */
    protected GatedCell(CellProvider provider, CellConfig config, Projections projections) {
        this.id = provider.id();
        this.config = config.withDefaults(provider.options());
        this.layout = CellLayout.of(provider, this.config);
        this.projections = java.util.Objects.requireNonNull(projections, "projections");
        this.hidden = this.config.hiddenSize();
        this.inputSize = this.config.inputSize();
        this.gates = provider.gateCount();
        if (gates < 1) {
            throw new IllegalArgumentException("a gated cell needs at least one gate; " + id + " has gateCount " + gates);
        }
        this.gateWidth = gates * hidden;
        this.stateSize = layout.stateSize();
        CellLayout.StateBlock h = layout.states().get(0);
        if (!h.name().equals("h") || h.offset() != 0 || h.size() != hidden) {
            throw new IllegalArgumentException("a gated cell's first state must be h of size H = " + hidden + "; "
                    + id + " has " + h.name() + " of size " + h.size());
        }
        this.weightIh = block("weight_ih", gateWidth, inputSize);
        this.weightHh = block("weight_hh", gateWidth, hidden);
        this.biasIh = block("bias_ih", gateWidth, -1);
        this.biasHh = block("bias_hh", gateWidth, -1);
    }

    private int block(String name, int rows, int cols) {
        CellLayout.ParameterBlock b;
        try {
            b = layout.parameter(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a gated cell needs parameter " + name + "; " + id + " has "
                    + layout.parameters().stream().map(CellLayout.ParameterBlock::name).toList());
        }
        int[] want = cols < 0 ? new int[]{rows} : new int[]{rows, cols};
        if (!java.util.Arrays.equals(b.shape(), want)) {
            throw new IllegalArgumentException("parameter " + name + " of gated cell " + id + ": expected shape "
                    + java.util.Arrays.toString(want) + ", got " + java.util.Arrays.toString(b.shape()));
        }
        return b.offset();
    }

    /**
     * The four parameter blocks of a gated cell with {@code gates} gates, in PyTorch's order and with
     * PyTorch's default initializer U(−1/√H, 1/√H): {@code weight_ih} (G·H, in), {@code weight_hh}
     * (G·H, H), {@code bias_ih} (G·H), {@code bias_hh} (G·H).
     */
    public static List<ParameterSpec> standardParameters(int gates) {
        Dim rows = Dim.hidden(gates);
        Initializer init = Initializers.pytorchDefault();
        return List.of(
                new ParameterSpec("weight_ih", Role.INPUT_WEIGHT, List.of(rows, Dim.INPUT), init),
                new ParameterSpec("weight_hh", Role.RECURRENT_WEIGHT, List.of(rows, Dim.HIDDEN), init),
                new ParameterSpec("bias_ih", Role.INPUT_BIAS, List.of(rows), init),
                new ParameterSpec("bias_hh", Role.RECURRENT_BIAS, List.of(rows), init));
    }

    // ---- what a subclass writes ---------------------------------------------------------------

    /** Elements of tape {@link #forwardRow} keeps per step and batch row for {@link #backwardRow} (0 if none). */
    protected abstract int rowTapeSize();

    /**
     * The gate math of one step of one batch row.
     *
     * @param ops     the precision to compute in
     * @param xp      {@code x_t·W_ihᵀ + b_ih} of all gates (G·H, gate blocks in order); with
     *                {@link Projections#SUMMED} already plus {@code h_{t-1}·W_hhᵀ + b_hh}. Scratch: may be overwritten
     * @param hp      {@code h_{t-1}·W_hhᵀ + b_hh} (G·H), may be overwritten; with SUMMED the same region as xp
     * @param state   holds the row's state before the step at {@code prevOff} (S elements, h first; not
     *                modified) and receives the state after it at {@code nextOff} (all S elements written)
     * @param tape    {@link #rowTapeSize()} elements at {@code tapeOff}, written: what backward needs
     *                besides the two states. In inference it is scratch that nobody reads
     */
    protected abstract <A> void forwardRow(Ops<A> ops, A xp, int xpOff, A hp, int hpOff,
                                           A state, int prevOff, int nextOff, A tape, int tapeOff);

    /**
     * The gradient of the gate math of one step of one batch row. {@code state} (at {@code prevOff} and
     * {@code nextOff}) and {@code tape} (at {@code tapeOff}) hold what {@link #forwardRow} left there;
     * they must not be modified.
     *
     * @param dNext   dL/d state_t (S elements: output gradient already added into its h part); may be overwritten
     * @param dxp     written: dL/d xp (G·H)
     * @param dhp     written: dL/d hp (G·H); with SUMMED the same region as dxp (write dxp only)
     * @param dPrev   written: the direct part of dL/d state_{t-1} (S elements), every path but the one
     *                through hp (the base adds {@code dhp·W_hh} to its h part)
     */
    protected abstract <A> void backwardRow(Ops<A> ops, A state, int prevOff, int nextOff, A tape, int tapeOff,
                                            A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff,
                                            A dPrev, int dPrevOff);

    /**
     * {@link #forwardRow} for {@code rows} consecutive valid batch rows: row r's regions start at
     * {@code xpOff + r·G·H}, {@code hpOff + r·G·H}, {@code prevOff + r·S}, {@code nextOff + r·S} and
     * {@code tapeOff + r·rowTapeSize()}. The hook for a fused fast path (check {@code ops.precision()}
     * and call {@code super} for anything else); the default calls {@link #forwardUnits} for all the
     * units when the cell {@linkplain #splitsByUnits splits by units} in this precision, else
     * {@link #forwardRow} per row.
     */
    protected <A> void forwardRows(Ops<A> ops, int rows, A xp, int xpOff, A hp, int hpOff,
                                   A state, int prevOff, int nextOff, A tape, int tapeOff) {
        if (splitsByUnits(ops)) {
            forwardUnits(ops, 0, hidden, rows, xp, xpOff, hp, hpOff, state, prevOff, nextOff, tape, tapeOff);
            return;
        }
        int rt = rowTapeSize();
        for (int r = 0; r < rows; r++) {
            forwardRow(ops, xp, xpOff + r * gateWidth, hp, hpOff + r * gateWidth,
                    state, prevOff + r * stateSize, nextOff + r * stateSize, tape, tapeOff + r * rt);
        }
    }

    /**
     * {@link #backwardRow} for {@code rows} consecutive valid batch rows, strides as in
     * {@link #forwardRows} (dNext and dPrev: S; dxp and dhp: G·H). The hook for a fused fast path; the
     * default calls {@link #backwardUnits} for all the units when the cell splits by units, else
     * {@link #backwardRow} per row.
     */
    protected <A> void backwardRows(Ops<A> ops, int rows, A state, int prevOff, int nextOff, A tape, int tapeOff,
                                    A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff,
                                    A dPrev, int dPrevOff) {
        if (splitsByUnits(ops)) {
            backwardUnits(ops, 0, hidden, rows, state, prevOff, nextOff, tape, tapeOff, dNext, dNextOff, dxp, dxpOff,
                    dhp, dhpOff, dPrev, dPrevOff);
            return;
        }
        int rt = rowTapeSize();
        for (int r = 0; r < rows; r++) {
            int s = r * stateSize, g = r * gateWidth;
            backwardRow(ops, state, prevOff + s, nextOff + s, tape, tapeOff + r * rt,
                    dNext, dNextOff + s, dxp, dxpOff + g, dhp, dhpOff + g, dPrev, dPrevOff + s);
        }
    }

    /**
     * Whether, in {@code ops}' precision, this cell's gate math is unit-local and implemented by
     * {@link #forwardUnits}/{@link #backwardUnits}: hidden unit u of a row reads and writes only element
     * u of each H-wide block of its regions (xp and hp by gate, the states, the tape and their
     * gradients; S and the row tape are then whole multiples of H). A step of a small batch (a streamed
     * sequence) is then split across the team by hidden units rather than rows, so that each member
     * reads only its share of {@code W_hh}. Default false (the step is split by rows only).
     */
    protected boolean splitsByUnits(Ops<?> ops) {
        return false;
    }

    /**
     * {@link #forwardRows} for the hidden units [u0, u1) of each of the {@code rows} rows only; the
     * offsets are those {@link #forwardRows} gets (unit 0 of the first row), and elements of other
     * units must be neither read nor written. Called only when {@link #splitsByUnits} is true.
     */
    protected <A> void forwardUnits(Ops<A> ops, int u0, int u1, int rows, A xp, int xpOff, A hp, int hpOff,
                                    A state, int prevOff, int nextOff, A tape, int tapeOff) {
        throw new UnsupportedOperationException("cell " + id + " does not split its gate math by hidden units");
    }

    /** {@link #backwardRows} for the hidden units [u0, u1) of each row only, as {@link #forwardUnits}. */
    protected <A> void backwardUnits(Ops<A> ops, int u0, int u1, int rows, A state, int prevOff, int nextOff, A tape,
                                     int tapeOff, A dNext, int dNextOff, A dxp, int dxpOff, A dhp, int dhpOff,
                                     A dPrev, int dPrevOff) {
        throw new UnsupportedOperationException("cell " + id + " does not split its gate math by hidden units");
    }

    // ---- Cell -----------------------------------------------------------------------------------

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final CellConfig config() {
        return config;
    }

    @Override
    public final CellLayout layout() {
        return layout;
    }

    @Override
    public final int outputSize() {
        return hidden;
    }

    /** The projections mode this cell was created with. */
    protected final Projections projections() {
        return projections;
    }

    @Override
    public long tapeSize(int steps, int batch) {
        return ((long) steps + 1) * batch * stateSize + (long) steps * batch * rowTapeSize();
    }

    @Override
    public long workspaceSize(int steps, int batch) {
        if (steps == 0 || batch == 0) {
            return 0;
        }
        long projections = (long) steps * batch * gateWidth;
        boolean separate = this.projections == Projections.SEPARATE;
        long forward = projections + (separate ? (long) batch * gateWidth : 0)
                + 2L * batch * stateSize + (long) batch * rowTapeSize() + gateWidth
                + (packsWeights(steps) ? PackedGemm.packedSize(hidden, gateWidth) + PackedGemm.packedSize(inputSize, gateWidth) : 0);
        long backward = projections * (separate ? 2 : 1) + 2L * batch * stateSize + gateWidth
                + Math.max(packsWeights(steps) ? PackedGemm.packedSize(gateWidth, hidden) : 0,
                (long) Math.max(inputSize, hidden) * gateWidth);
        return Math.max(forward, backward);
    }

    /**
     * Whether a chunk of {@code steps} steps packs {@code W_hh} once for its recurrent products
     * ({@link Ops#packRight}): from two steps on, packing once is cheaper than the general GEMM, which
     * packs its right operand at every call.
     */
    static boolean packsWeights(int steps) {
        return steps >= 2;
    }

    /** Batches of at least this many rows project their input step by step. */
    static final int STEP_PROJECTION_MIN_BATCH = 16;

    /**
     * Whether a chunk projects its input step by step, inside the time loop ({@code x_t·W_ihᵀ} with
     * {@code W_ihᵀ} packed once, each team member its own rows, just before their recurrent product),
     * rather than as one GEMM over all steps before it. With enough rows per step the small products
     * run as fast as the large one, and the projection of a step then stays in cache (the one large
     * projection is T·B·G·H floats written and read back from memory) and shares the step's
     * fork-join. With few rows (streaming one sequence) the per-step product would be a matrix-vector
     * product bound by reading W_ih, so those batches keep the one large GEMM.
     */
    static boolean projectsPerStep(int steps, int batch) {
        return packsWeights(steps) && batch >= STEP_PROJECTION_MIN_BATCH;
    }

    @Override
    public final <A> void forward(Ops<A> ops, Chunk<A> chunk) {
        chunk.check(this, ops, false);
        Pass<A> p = new Pass<>(this, ops, chunk);
        p.forward();
    }

    @Override
    public final <A> void backward(Ops<A> ops, Chunk<A> chunk, ChunkGradients<A> grads) {
        chunk.check(this, ops, true);
        grads.check(this, ops, chunk);
        Pass<A> p = new Pass<>(this, ops, chunk);
        p.backward(grads);
    }

    @Override
    public String toString() {
        return id + "(in=" + inputSize + ", H=" + hidden + ")";
    }

    /**
     * One forward or backward call: the resolved offsets, and the work of one time step as a team
     * task (one object per call, reused for every step, so the time loop allocates nothing).
     *
     * <p>Threading: each member of the team takes a share of the batch rows and does everything for
     * them in one fork-join per step: forward, the recurrent product of its rows against the packed
     * {@code W_hhᵀ} and then their gate math; backward, the gate gradients of its rows and then
     * {@code dh_{t-1} += dHP_t·W_hh} for them. A small batch split by hidden units runs its forward time
     * loop as one {@link WorkerTeam#runTogether} task instead, the members meeting at a
     * {@link WorkerTeam.Barrier} after each step (measured: about half a microsecond less per step than
     * a fork-join, some 5% of a streamed sequence's step). Each row is computed with the same
     * operations whatever the split, so results do not depend on the number of threads.
     */
    private static final class Pass<A> implements WorkerTeam.Task {
        /** A step is split across the team from this many multiply-adds of its recurrent product (batch·G·H·H) on. */
        private static final long PARALLEL_MIN_WORK = 1L << 15;
        /** Hidden units are split in multiples of this many (whole slivers of the packed weights). */
        private static final int UNIT_GRAIN = PackedGemm.NR;

        private final GatedCell cell;
        private final Ops<A> ops;
        private final Chunk<A> chunk;
        private final int steps, batch, in, h, gw, s, rt;
        private final boolean summed;
        private final A x, params, out, ws, tapeArr;
        private final int x0, p0, out0, ws0, tape0;
        private final float[] mask;
        private final int mask0;
        private final boolean training;
        private final WorkerTeam team;
        private final boolean parallel;
        /** Whether the recurrent products use W_hh packed once per call (else: a general GEMM per step). */
        private final boolean packed;

        // Per-step fields the team task reads (written by the calling thread before each run).
        private int t;
        private A stateArr;
        private int prevOff, nextOff, rowTapeOff, xpOff, hpOff;
        private A outGrad;
        private int outGrad0;
        private int dNextOff, dPrevOff;
        /** Where the packed W_hh (forward: W_hhᵀ; backward: W_hh) is in the workspace. */
        private int packed0;
        /** Whether the forward pass projects the input step by step, and where W_ihᵀ and the bias row are packed for it. */
        private final boolean stepProjection;
        private int packedIh0, bias0;
        /** Whether a step is split across the team by hidden units (small batches) rather than rows. */
        private final boolean unitSplit;
        /** State blocks per row (S/H) when split by units. */
        private final int stateBlocks;
        /** What the next team run does: a forward step, a backward step's gate gradients, or its recurrent product. */
        private int phase;
        private static final int FORWARD = 0, BACKWARD = 1, BACKWARD_PRODUCT = 2, COLUMN_SUMS = 3,
                PACK_FORWARD = 4, PACK_BACKWARD = 5, PROJECT = 6, FORWARD_STEPS = 7;
        /**
         * Where the forward time loop's buffers start (see {@link #forward()}): the states (the tape's,
         * training; two alternating buffers, inference), one step's row tape (inference), XP and HP.
         */
        private int states0, scratchTape0, xp0, hp0;
        /** Where the members of a {@link #FORWARD_STEPS} run meet after each step. */
        private WorkerTeam.Barrier barrier;
        /** The rows of XP a PROJECT run computes, and where they start. */
        private int projectionRows, projection0;

        Pass(GatedCell cell, Ops<A> ops, Chunk<A> c) {
            this.cell = cell;
            this.ops = ops;
            this.steps = c.steps();
            this.batch = c.batch();
            this.in = cell.inputSize;
            this.h = cell.hidden;
            this.gw = cell.gateWidth;
            this.s = cell.stateSize;
            this.rt = cell.rowTapeSize();
            this.summed = cell.projections == Projections.SUMMED;
            this.x = c.input().array();
            this.x0 = c.input().offset();
            this.params = c.parameters().array();
            this.p0 = c.parameters().offset();
            this.out = c.output().array();
            this.out0 = c.output().offset();
            this.ws = c.workspace() == null ? null : c.workspace().array();
            this.ws0 = c.workspace() == null ? 0 : c.workspace().offset();
            this.training = c.tape() != null;
            this.tapeArr = training ? c.tape().array() : null;
            this.tape0 = training ? c.tape().offset() : 0;
            this.mask = c.mask() == null ? null : c.mask().array();
            this.mask0 = c.mask() == null ? 0 : c.mask().offset();
            this.team = ops.team();
            this.packed = packsWeights(steps);
            this.stepProjection = projectsPerStep(steps, batch);
            boolean teamWork = team != null && team.size() > 1 && (long) batch * gw * h >= PARALLEL_MIN_WORK;
            // small batches (below the per-step projection's threshold, so the two never meet) split by
            // units when the cell's gate math allows it: each member then reads only its share of W_hh
            this.unitSplit = teamWork && packed && batch < STEP_PROJECTION_MIN_BATCH && h >= 2 * UNIT_GRAIN
                    && s % h == 0 && cell.splitsByUnits(ops);
            this.stateBlocks = s / Math.max(1, h);
            this.parallel = teamWork && (unitSplit || batch >= 2);
            this.chunk = c;
        }

        /**
         * {@code dst += src} (n elements) element by element: for the few vectors added once per call,
         * where a Vector API kernel would run as the JIT's first tiers (which box every vector) long
         * after the time loop's kernels are compiled; a float sum rounded from double is the float sum.
         */
        private void addOnce(int n, A src, int srcOff, A dst, int dstOff) {
            for (int i = 0; i < n; i++) {
                ops.set(dst, dstOff + i, ops.get(dst, dstOff + i) + ops.get(src, srcOff + i));
            }
        }

        private boolean valid(int step, int b) {
            return mask == null || mask[mask0 + step * batch + b] != 0f;
        }

        // ---- forward ----------------------------------------------------------------------------

        void forward() {
            int bs = batch * s;
            A init = chunk.initialState().array();
            int init0 = chunk.initialState().offset();
            A fin = chunk.finalState().array();
            int fin0 = chunk.finalState().offset();
            if (steps == 0 || batch == 0) {
                ops.copy(bs, init, init0, fin, fin0);
                return;
            }
            int rows = steps * batch;
            xp0 = ws0;
            hp0 = xp0 + rows * gw;                           // SEPARATE: one step of hp
            int pingPong0 = hp0 + (summed ? 0 : batch * gw); // inference: two state buffers
            scratchTape0 = pingPong0 + 2 * bs;               // inference: one step of row tape
            bias0 = scratchTape0 + batch * rt;               // b_ih (+ b_hh when summed)
            packed0 = bias0 + gw;
            packedIh0 = packed0 + (packed ? ops.packedSize(h, gw) : 0);

            ops.copy(gw, params, p0 + cell.biasIh, ws, bias0);
            if (summed) {
                addOnce(gw, params, p0 + cell.biasHh, ws, bias0);
            }
            if (packed) {
                // W_hhᵀ and W_ihᵀ packed once for the whole chunk, each member its share of the columns
                phase = PACK_FORWARD;
                runTeam();
                if (!stepProjection) {
                    // XP = X·W_ihᵀ + b_ih (+ b_hh when summed) for every step at once, rows split across the team
                    projectionRows = rows;
                    projection0 = xp0;
                    phase = PROJECT;
                    runTeam();
                }
            } else {
                // XP = X·W_ihᵀ + b_ih (+ b_hh when summed), every step at once: the rows start as the
                // bias and the GEMM accumulates into them (β = 1), one pass over XP instead of three
                for (int r = 0; r < rows; r++) {
                    ops.copy(gw, ws, bias0, ws, xp0 + r * gw);
                }
                ops.gemm(Transpose.NO, Transpose.YES, rows, gw, in, 1.0, x, x0, in,
                        params, p0 + cell.weightIh, in, 1.0, ws, xp0, gw);
            }

            stateArr = training ? tapeArr : ws;
            states0 = training ? tape0 : pingPong0;
            ops.copy(bs, init, init0, stateArr, states0);
            if (unitSplit) {
                // the whole time loop as one team task, the members meeting after each step (each
                // computes its units of h_t from all of h_{t-1}) instead of a fork-join per step
                barrier = new WorkerTeam.Barrier(team);
                phase = FORWARD_STEPS;
                team.runTogether(this);
                barrier = null;
                ops.copy(bs, stateArr, stateOffset(steps), fin, fin0);
                return;
            }
            phase = FORWARD;
            for (int step = 0; step < steps; step++) {
                t = step;
                prevOff = stateOffset(step);
                nextOff = stateOffset(step + 1);
                rowTapeOff = rowTapeOffset(step);
                xpOff = stepProjection ? xp0 : xp0 + step * batch * gw;
                hpOff = summed ? xpOff : hp0;
                if (!packed) {
                    // the whole step's recurrent product at once (split across the team by the GEMM)
                    recurrentProduct(0, batch);
                }
                runRows();
            }
            ops.copy(bs, stateArr, stateOffset(steps), fin, fin0);
        }

        /** Where h_step (and c_step) are: in the tape, training (and backward); inference, in the buffer of step's parity. */
        private int stateOffset(int step) {
            return states0 + (training ? step : step & 1) * batch * s;
        }

        /** Where the row tape of a step is: the tape's, training (and backward); the one scratch step, inference. */
        private int rowTapeOffset(int step) {
            return training ? tape0 + (steps + 1) * batch * s + step * batch * rt : scratchTape0;
        }

        /**
         * Rows [b0, b1) of this step's recurrent projection: SUMMED, {@code pre_t += h_{t-1}·W_hhᵀ}
         * (accumulated into the input projection); SEPARATE, {@code HP = h_{t-1}·W_hhᵀ + b_hh}. Against the
         * packed {@code W_hhᵀ} when the call packed it, else a general GEMM.
         */
        private void recurrentProduct(int b0, int b1) {
            int m = b1 - b0;
            if (m == 0) {
                return;
            }
            int c0 = hpOff + b0 * gw;
            if (stepProjection) {
                // this step's rows of XP = x_t·W_ihᵀ + b_ih (+ b_hh when summed), here rather than before the loop
                int xp = xpOff + b0 * gw;
                for (int r = 0; r < m; r++) {
                    ops.copy(gw, ws, bias0, ws, xp + r * gw);
                }
                ops.gemmPacked(m, gw, in, x, x0 + (t * batch + b0) * in, in, ws, packedIh0, 1.0, ws, xp, gw);
            }
            if (!summed) {
                for (int r = 0; r < m; r++) {
                    ops.copy(gw, params, p0 + cell.biasHh, ws, c0 + r * gw);
                }
            }
            if (packed) {
                ops.gemmPacked(m, gw, h, stateArr, prevOff + b0 * s, s, ws, packed0, 1.0, ws, c0, gw);
            } else {
                ops.gemm(Transpose.NO, Transpose.YES, m, gw, h, 1.0, stateArr, prevOff + b0 * s, s,
                        params, p0 + cell.weightHh, h, 1.0, ws, c0, gw);
            }
        }

        private void forwardRange(int b0, int b1) {
            if (packed) {
                recurrentProduct(b0, b1);
            }
            int b = b0;
            while (b < b1) {
                if (!valid(t, b)) {
                    // padded: state carried, output 0
                    ops.copy(s, stateArr, prevOff + b * s, stateArr, nextOff + b * s);
                    ops.fill(h, 0.0, out, out0 + (t * batch + b) * h);
                    b++;
                    continue;
                }
                int e = b + 1;
                while (e < b1 && valid(t, e)) {
                    e++;
                }
                cell.forwardRows(ops, e - b, ws, xpOff + b * gw, ws, hpOff + b * gw,
                        stateArr, prevOff + b * s, nextOff + b * s,
                        training ? tapeArr : ws, rowTapeOff + b * rt);
                for (int r = b; r < e; r++) {
                    ops.copy(h, stateArr, nextOff + r * s, out, out0 + (t * batch + r) * h);
                }
                b = e;
            }
        }

        // ---- backward ---------------------------------------------------------------------------

        void backward(ChunkGradients<A> g) {
            int bs = batch * s;
            A dInit = g.initialStateGrad() == null ? null : g.initialStateGrad().array();
            int dInit0 = g.initialStateGrad() == null ? 0 : g.initialStateGrad().offset();
            if (steps == 0 || batch == 0) {
                if (dInit != null) {
                    if (g.finalStateGrad() != null) {
                        ops.copy(bs, g.finalStateGrad().array(), g.finalStateGrad().offset(), dInit, dInit0);
                    } else {
                        ops.fill(bs, 0.0, dInit, dInit0);
                    }
                }
                if (g.inputGrad() != null) {
                    ops.fill(steps * batch * in, 0.0, g.inputGrad().array(), g.inputGrad().offset());
                }
                return;
            }
            int rows = steps * batch;
            int dxp0 = ws0;
            int dhp0 = summed ? dxp0 : dxp0 + rows * gw;
            int ds0 = summed ? dxp0 + rows * gw : dhp0 + rows * gw;
            int sums0 = ds0 + 2 * bs;
            packed0 = sums0 + gw;
            dNextOff = ds0;
            dPrevOff = ds0 + bs;
            if (g.finalStateGrad() != null) {
                ops.copy(bs, g.finalStateGrad().array(), g.finalStateGrad().offset(), ws, dNextOff);
            } else {
                ops.fill(bs, 0.0, ws, dNextOff);
            }
            if (packed) {
                phase = PACK_BACKWARD;
                runTeam();
            }
            outGrad = g.outputGrad() == null ? null : g.outputGrad().array();
            outGrad0 = g.outputGrad() == null ? 0 : g.outputGrad().offset();
            stateArr = tapeArr;
            states0 = tape0; // (training: the forward pass's states are the tape's)
            for (int step = steps - 1; step >= 0; step--) {
                t = step;
                prevOff = stateOffset(step);
                nextOff = stateOffset(step + 1);
                rowTapeOff = rowTapeOffset(step);
                xpOff = dxp0 + step * batch * gw;   // dxp of this step
                hpOff = dhp0 + step * batch * gw;   // dhp of this step
                phase = BACKWARD;
                runRows();
                if (unitSplit) {
                    // dh_{t-1} += dHP_t·W_hh needs every unit's dHP_t: a second run, each member its units of dh_{t-1}
                    phase = BACKWARD_PRODUCT;
                    runRows();
                }
                if (!packed) {
                    // dh_{t-1} += dHP_t·W_hh
                    ops.gemm(Transpose.NO, Transpose.NO, batch, h, gw, 1.0, ws, hpOff, gw,
                            params, p0 + cell.weightHh, h, 1.0, ws, dPrevOff, s);
                }
                int swap = dNextOff;
                dNextOff = dPrevOff;
                dPrevOff = swap;
            }
            if (dInit != null) {
                ops.copy(bs, ws, dNextOff, dInit, dInit0);
            }
            A gp = g.parameterGrad().array();
            int gp0 = g.parameterGrad().offset();
            // dW_ih += dXPᵀ·X ; dW_hh += dHPᵀ·H_prev (H_prev: the h columns of tape states 0…T-1),
            // computed transposed (Xᵀ·dXP, H_prevᵀ·dHP) into the workspace and added transposed: the
            // GEMM then packs the narrow X or H_prev across its long side, not the G·H-wide dXP
            int wt0 = packed0; // the packed weights are no longer needed
            ops.gemm(Transpose.YES, Transpose.NO, in, gw, rows, 1.0, x, x0, in, ws, dxp0, gw, 0.0, ws, wt0, gw);
            ops.addTransposed(in, gw, ws, wt0, gw, gp, gp0 + cell.weightIh, in);
            ops.gemm(Transpose.YES, Transpose.NO, h, gw, rows, 1.0, tapeArr, tape0, s, ws, dhp0, gw, 0.0, ws, wt0, gw);
            ops.addTransposed(h, gw, ws, wt0, gw, gp, gp0 + cell.weightHh, h);
            if (summed) {
                // dxp and dhp are one region: sum its columns once, add the sums to both biases
                ops.fill(gw, 0.0, ws, sums0);
                columnSums(rows, dxp0, ws, sums0);
                addOnce(gw, ws, sums0, gp, gp0 + cell.biasIh);
                addOnce(gw, ws, sums0, gp, gp0 + cell.biasHh);
            } else {
                columnSums(rows, dxp0, gp, gp0 + cell.biasIh);
                columnSums(rows, dhp0, gp, gp0 + cell.biasHh);
            }
            if (g.inputGrad() != null) {
                // dX = dXP·W_ih
                ops.gemm(Transpose.NO, Transpose.NO, rows, in, gw, 1.0, ws, dxp0, gw,
                        params, p0 + cell.weightIh, in, 0.0, g.inputGrad().array(), g.inputGrad().offset(), in);
            }
        }

        // What a COLUMN_SUMS run adds up: rows × G·H from sumsSrc into sumsDst.
        private int sumsRows, sumsSrc, sumsDst0;
        private A sumsDst;

        /** {@code dst += Σ rows} of the rows × G·H region at {@code src} of the workspace; columns split across the team. */
        private void columnSums(int rows, int src, A dst, int dst0) {
            if (team == null || team.size() == 1 || (long) rows * gw < PARALLEL_MIN_WORK) {
                ops.addColumnSums(rows, gw, ws, src, gw, dst, dst0);
                return;
            }
            sumsRows = rows;
            sumsSrc = src;
            sumsDst = dst;
            sumsDst0 = dst0;
            phase = COLUMN_SUMS;
            team.run(this);
            sumsDst = null;
        }

        private void backwardRange(int b0, int b1) {
            int b = b0;
            while (b < b1) {
                if (!valid(t, b)) {
                    // padded: state gradient passes through; no gradient to the projections
                    ops.copy(s, ws, dNextOff + b * s, ws, dPrevOff + b * s);
                    ops.fill(gw, 0.0, ws, xpOff + b * gw);
                    if (!summed) {
                        ops.fill(gw, 0.0, ws, hpOff + b * gw);
                    }
                    b++;
                    continue;
                }
                int e = b + 1;
                while (e < b1 && valid(t, e)) {
                    e++;
                }
                if (outGrad != null) {
                    for (int r = b; r < e; r++) {
                        // dL/dh_t += dL/d output_t
                        ops.add(h, ws, dNextOff + r * s, outGrad, outGrad0 + (t * batch + r) * h, ws, dNextOff + r * s);
                    }
                }
                cell.backwardRows(ops, e - b, stateArr, prevOff + b * s, nextOff + b * s, tapeArr, rowTapeOff + b * rt,
                        ws, dNextOff + b * s, ws, xpOff + b * gw, ws, hpOff + b * gw, ws, dPrevOff + b * s);
                b = e;
            }
            if (packed && b1 > b0) {
                // dh_{t-1} += dHP_t·W_hh for these rows (a padded row's dhp is 0: its gradient passes through)
                ops.gemmPacked(b1 - b0, h, gw, ws, hpOff + b0 * gw, gw, ws, packed0, 1.0, ws, dPrevOff + b0 * s, s);
            }
        }

        // ---- one step, on the team or the calling thread ----------------------------------------

        private void runRows() {
            if (parallel) {
                team.run(this);
            } else {
                run(0, 1);
            }
        }

        /** Runs the current phase on the whole team (or on the calling thread when there is none). */
        private void runTeam() {
            if (team != null && team.size() > 1) {
                team.run(this);
            } else {
                run(0, 1);
            }
        }

        @Override
        public void run(int member, int members) {
            if (phase == PACK_FORWARD || phase == PACK_BACKWARD) {
                // each member packs, for every gate, its grains of units' columns: with the step split
                // by units these are exactly the columns it multiplies, so they land in its own cache
                int u0 = unitShare(member, members), u1 = unitShare(member + 1, members);
                if (phase == PACK_BACKWARD) {
                    ops.packRight(Transpose.NO, gw, h, u0, u1, params, p0 + cell.weightHh, h, ws, packed0);
                    return;
                }
                for (int q = 0; q < cell.gates; q++) {
                    int j0 = q * h + u0, j1 = q * h + u1;
                    ops.packRight(Transpose.YES, h, gw, j0, j1, params, p0 + cell.weightHh, h, ws, packed0);
                    ops.packRight(Transpose.YES, in, gw, j0, j1, params, p0 + cell.weightIh, in, ws, packedIh0);
                }
                return;
            }
            if (phase == PROJECT) {
                int r0 = WorkerTeam.begin(projectionRows, member, members), r1 = WorkerTeam.end(projectionRows, member, members);
                for (int r = r0; r < r1; r++) {
                    ops.copy(gw, ws, bias0, ws, projection0 + r * gw);
                }
                ops.gemmPacked(r1 - r0, gw, in, x, x0 + r0 * in, in, ws, packedIh0, 1.0, ws, projection0 + r0 * gw, gw);
                return;
            }
            if (phase == COLUMN_SUMS) {
                // whole vectors of columns per member: each column is summed in row order whatever the split
                int grain = 4 * io.github.rnnlab.kernel.Simd.LANES;
                int c0 = WorkerTeam.begin(gw, grain, member, members), c1 = WorkerTeam.begin(gw, grain, member + 1, members);
                if (c1 > c0) {
                    ops.addColumnSums(sumsRows, c1 - c0, ws, sumsSrc + c0, gw, sumsDst, sumsDst0 + c0);
                }
                return;
            }
            if (unitSplit) { // (a team busy elsewhere runs this as share 0 of 1: then every unit)
                int u0 = unitShare(member, members), u1 = unitShare(member + 1, members);
                if (phase == FORWARD_STEPS) {
                    forwardSteps(u0, u1, member, members); // a member without units still meets the others
                    return;
                }
                if (u0 == u1) {
                    return;
                }
                switch (phase) { // (the forward pass runs FORWARD_STEPS when split by units)
                    case BACKWARD -> backwardUnitRange(u0, u1);
                    default -> ops.gemmPacked(batch, h, gw, u0, u1, ws, hpOff, gw, ws, packed0, 1.0, ws, dPrevOff, s);
                }
                return;
            }
            int b0 = WorkerTeam.begin(batch, member, members), b1 = WorkerTeam.end(batch, member, members);
            if (phase == BACKWARD) {
                backwardRange(b0, b1);
            } else {
                forwardRange(b0, b1);
            }
        }

        /** Where member {@code member}'s units begin: whole grains of {@link #UNIT_GRAIN}, the last one possibly short. */
        private int unitShare(int member, int members) {
            return WorkerTeam.begin(h, UNIT_GRAIN, member, members);
        }

        // ---- a step split by hidden units (small batches) ---------------------------------------

        /**
         * This member's units [u0, u1) of every step, meeting the other members after each: the time
         * loop of {@link #forward()} with the step's offsets computed here rather than set by the caller.
         */
        private void forwardSteps(int u0, int u1, int member, int members) {
            for (int step = 0; step < steps; step++) {
                int xp = xp0 + step * batch * gw;
                if (u1 > u0) {
                    forwardUnitRange(u0, u1, step, stateOffset(step), stateOffset(step + 1), rowTapeOffset(step), xp,
                            summed ? xp : hp0);
                }
                // h_t complete (and, inference, nobody reads h_{t-1}'s buffer any more: step t+1 writes it)
                barrier.await(member, members, step + 1);
            }
        }

        /** Forward step {@code t} for units [u0, u1) of every row: their columns of each gate's recurrent product, then their gate math. */
        private void forwardUnitRange(int u0, int u1, int t, int prevOff, int nextOff, int rowTapeOff, int xpOff, int hpOff) {
            int w = u1 - u0;
            for (int q = 0; q < cell.gates; q++) {
                int j0 = q * h + u0, j1 = q * h + u1;
                if (!summed) {
                    for (int r = 0; r < batch; r++) {
                        ops.copy(w, params, p0 + cell.biasHh + j0, ws, hpOff + r * gw + j0);
                    }
                }
                ops.gemmPacked(batch, gw, h, j0, j1, stateArr, prevOff, s, ws, packed0, 1.0, ws, hpOff, gw);
            }
            int b = 0;
            while (b < batch) {
                if (!valid(t, b)) {
                    for (int k = 0; k < stateBlocks; k++) {
                        ops.copy(w, stateArr, prevOff + b * s + k * h + u0, stateArr, nextOff + b * s + k * h + u0);
                    }
                    ops.fill(w, 0.0, out, out0 + (t * batch + b) * h + u0);
                    b++;
                    continue;
                }
                int e = b + 1;
                while (e < batch && valid(t, e)) {
                    e++;
                }
                cell.forwardUnits(ops, u0, u1, e - b, ws, xpOff + b * gw, ws, hpOff + b * gw,
                        stateArr, prevOff + b * s, nextOff + b * s, training ? tapeArr : ws, rowTapeOff + b * rt);
                for (int r = b; r < e; r++) {
                    ops.copy(w, stateArr, nextOff + r * s + u0, out, out0 + (t * batch + r) * h + u0);
                }
                b = e;
            }
        }

        /** Backward step's gate gradients for units [u0, u1) of every row. */
        private void backwardUnitRange(int u0, int u1) {
            int w = u1 - u0;
            int b = 0;
            while (b < batch) {
                if (!valid(t, b)) {
                    for (int k = 0; k < stateBlocks; k++) {
                        ops.copy(w, ws, dNextOff + b * s + k * h + u0, ws, dPrevOff + b * s + k * h + u0);
                    }
                    for (int q = 0; q < cell.gates; q++) {
                        ops.fill(w, 0.0, ws, xpOff + b * gw + q * h + u0);
                        if (!summed) {
                            ops.fill(w, 0.0, ws, hpOff + b * gw + q * h + u0);
                        }
                    }
                    b++;
                    continue;
                }
                int e = b + 1;
                while (e < batch && valid(t, e)) {
                    e++;
                }
                if (outGrad != null) {
                    for (int r = b; r < e; r++) {
                        ops.add(w, ws, dNextOff + r * s + u0, outGrad, outGrad0 + (t * batch + r) * h + u0, ws, dNextOff + r * s + u0);
                    }
                }
                cell.backwardUnits(ops, u0, u1, e - b, stateArr, prevOff + b * s, nextOff + b * s, tapeArr, rowTapeOff + b * rt,
                        ws, dNextOff + b * s, ws, xpOff + b * gw, ws, hpOff + b * gw, ws, dPrevOff + b * s);
                b = e;
            }
        }
    }
}
