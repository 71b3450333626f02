package io.github.rnnlab.ssm;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.ChunkGradients;
import io.github.rnnlab.numeric.Ops;

/**
 * A selective diagonal state-space cell, the S6 layer of Mamba (A. Gu and T. Dao, "Mamba: Linear-Time
 * Sequence Modeling with Selective State Spaces", arXiv:2312.00752, 2023) with a SiLU output gate, as
 * a recurrent cell. Per step and batch row, for input x_t (in), d = H channels and N states per
 * channel:
 * <pre>
 *   u_t = W_u x_t + b_u                  (H)      Δ_t = softplus(W_dt x_t + b_dt)     (H)
 *   B_t = W_B x_t                        (N)      C_t = W_C x_t                       (N)
 *   g_t = silu(W_z x_t + b_z)            (H)      A   = −exp(A_log)                   (H, N)
 *   h_t[c,s] = exp(Δ_t[c]·A[c,s]) · h_{t-1}[c,s] + Δ_t[c] · B_t[s] · u_t[c]
 *   y_t[c]   = (Σ_s C_t[s] · h_t[c,s] + D[c] · u_t[c]) · g_t[c]
 * </pre>
 * <ul>
 *   <li>Input x_t: (in). State: {@code h} (H·N, channel-major). Output: y_t (H). Options
 *       {@code state_size} (N, default 16) and {@code scan} ({@link ScanMode}, default auto).</li>
 *   <li>Parameters: {@code weight_u} (H, in), {@code bias_u} (H), {@code weight_dt} (H, in),
 *       {@code bias_dt} (H), {@code weight_B} (N, in), {@code weight_C} (N, in), {@code weight_z}
 *       (H, in), {@code bias_z} (H), {@code A_log} (H, N), {@code D} (H); initialisation in
 *       {@link SsmProvider}.</li>
 *   <li>Stable by construction: Δ ≥ 0 and A &lt; 0, so the decay exp(Δ·A) lies in (0, 1] (it
 *       rounds to 0 for very large Δ·|A| and to 1 for Δ ≈ 0, never leaves [0, 1]).</li>
 * </ul>
 *
 * <h2>How a chunk runs</h2>
 * u, Δ, B, C and the gate are functions of x_t alone, so they are computed for every step of the
 * chunk up front, as GEMMs. What is left is the linear recurrence h_t = a_t ⊙ h_{t-1} + b_t with
 * a_t = exp(Δ_t·A) and b_t = Δ_t·B_t·u_t, which composes associatively,
 * (a₁, b₁) ∘ (a₂, b₂) = (a₂a₁, a₂b₁ + b₂). It runs either step by step (one member per batch row
 * range) or as a chunked parallel scan over time ({@link Scan}); both give the same numbers up to
 * rounding, forward and backward, and padded steps are the identity (a = 1, b = 0, output 0, no
 * gradient to parameters or input). A streaming call ({@code steps = 1}) is always step by step.
 * {@link ScanMode} says which is chosen.
 *
 * <p>Inside a call the state is kept state-major (N rows of H), so that every operation is an
 * H-long vector operation of {@link Ops}; the chunk's initial and final states (and their gradients)
 * are channel-major as the layout says.
 *
 * <h2>Buffers</h2>
 * Tape: the states before and after every step, (steps+1, batch, H·N) state-major, then per step and
 * row u, the pre-softplus Δ, Δ, Δ⊙u, the pre-gate z, g = silu(z), Σ_s C h + D u (each H) and B, C
 * (N each). Workspace: −exp(A_log)ᵀ (N·H); the projections of an inference pass or the projection
 * gradients of a backward pass (7H + 2N per step and row); scratch per team member (2·H·N + 6H, at
 * most {@link #MAX_MEMBERS} members); and, when the parallel scan may run, the states at chunk
 * boundaries ((MAX_MEMBERS + 1)·batch·(H·N + H)).
 */
public final class Ssm implements Cell {
    /** The most team members a chunk is split across (the workspace is sized for this many). */
    public static final int MAX_MEMBERS = 8;
    /** With {@link ScanMode#AUTO}, the parallel scan runs for chunks of at least this many steps. */
    public static final int AUTO_MIN_STEPS = 32;

    private final String id;
    private final CellConfig config;
    private final CellLayout layout;
    private final ScanMode scan;

    /** Input size. */
    final int in;
    /** Channels d = H (the output width). */
    final int hidden;
    /** States per channel N. */
    final int states;
    /** H·N: the state row. */
    final int stateSize;

    final int weightU, biasU, weightDt, biasDt, weightBC, weightZ, biasZ, aLog, skip;

    Ssm(SsmProvider provider, CellConfig config) {
        this.id = provider.id();
        this.config = config.withDefaults(provider.options());
        this.scan = ScanMode.parse(this.config.options().get(SsmProvider.SCAN));
        int n = this.config.intOption(SsmProvider.STATE_SIZE);
        long s = (long) this.config.hiddenSize() * n;
        if (s > Integer.MAX_VALUE / 16) {
            throw new CellConfig.InvalidConfigException("ssm: hidden size × state_size must be at most "
                    + Integer.MAX_VALUE / 16 + ", got " + this.config.hiddenSize() + " × " + n + " = " + s);
        }
        this.layout = CellLayout.of(provider, this.config);
        this.in = this.config.inputSize();
        this.hidden = this.config.hiddenSize();
        this.states = n;
        this.stateSize = (int) s;
        this.weightU = layout.parameter("weight_u").offset();
        this.biasU = layout.parameter("bias_u").offset();
        this.weightDt = layout.parameter("weight_dt").offset();
        this.biasDt = layout.parameter("bias_dt").offset();
        this.weightBC = layout.parameter("weight_B").offset();
        if (layout.parameter("weight_C").offset() != weightBC + states * in) {
            throw new IllegalStateException("weight_C must follow weight_B (one GEMM projects both)");
        }
        this.weightZ = layout.parameter("weight_z").offset();
        this.biasZ = layout.parameter("bias_z").offset();
        this.aLog = layout.parameter("A_log").offset();
        this.skip = layout.parameter("D").offset();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public CellConfig config() {
        return config;
    }

    @Override
    public CellLayout layout() {
        return layout;
    }

    @Override
    public int outputSize() {
        return hidden;
    }

    /** How this cell runs a chunk. */
    public ScanMode scanMode() {
        return scan;
    }

    /** N, the states per channel. */
    public int stateSizePerChannel() {
        return states;
    }

    /** Elements per step and row of the projections: u, Δ raw, Δ, Δ⊙u, z, g, y before the gate (H each), B and C (N each). */
    long projectionWidth() {
        return 7L * hidden + 2L * states;
    }

    /** Scratch elements of one team member. */
    long memberScratch() {
        return 2L * stateSize + 6L * hidden;
    }

    /** Whether the parallel scan over time may run for a chunk of this shape (with a large enough team). */
    boolean scanPossible(int steps, int batch) {
        return scan != ScanMode.SEQUENTIAL && steps >= 2
                && (scan == ScanMode.PARALLEL || (steps >= AUTO_MIN_STEPS && batch < MAX_MEMBERS));
    }

    /** The most members a chunk of this shape is split across. */
    int maxMembers(int steps, int batch) {
        return scanPossible(steps, batch) ? MAX_MEMBERS : Math.max(1, Math.min(MAX_MEMBERS, batch));
    }

    @Override
    public long tapeSize(int steps, int batch) {
        return ((long) steps + 1) * batch * stateSize + (long) steps * batch * projectionWidth();
    }

    @Override
    public long workspaceSize(int steps, int batch) {
        if (steps == 0 || batch == 0) {
            return 0;
        }
        long rows = (long) steps * batch;
        long boundaries = scanPossible(steps, batch) ? (MAX_MEMBERS + 1L) * batch * (stateSize + hidden) : 0;
        return (long) states * hidden + rows * projectionWidth() + maxMembers(steps, batch) * memberScratch() + boundaries;
    }

    @Override
    public <A> void forward(Ops<A> ops, Chunk<A> chunk) {
        chunk.check(this, ops, false);
        new Scan<>(this, ops, chunk).forward();
    }

    @Override
    public <A> void backward(Ops<A> ops, Chunk<A> chunk, ChunkGradients<A> grads) {
        chunk.check(this, ops, true);
        grads.check(this, ops, chunk);
        new Scan<>(this, ops, chunk).backward(grads);
    }

    @Override
    public String toString() {
        return id + "(in=" + in + ", H=" + hidden + ", N=" + states + ", scan=" + scan.optionValue() + ")";
    }
}
