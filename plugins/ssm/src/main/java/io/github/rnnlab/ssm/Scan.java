package io.github.rnnlab.ssm;

import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.ChunkGradients;
import io.github.rnnlab.kernel.Transpose;
import io.github.rnnlab.kernel.WorkerTeam;
import io.github.rnnlab.numeric.Ops;

/**
 * One forward or backward call of {@link Ssm} on one chunk: the resolved buffer offsets, the plan
 * (how many team members, step by step or parallel scan), and the work of each member as a team
 * task (this object, reused for every phase of the call).
 *
 * <h2>The recurrence</h2>
 * Per batch row, state-major (row s of H channels): h_t = a_t ⊙ h_{t-1} + b_t with
 * a_t[s, c] = exp(Δ_t[c]·A[c, s]) and b_t[s, c] = B_t[s]·Δ_t[c]·u_t[c]; at a padded step a_t = 1,
 * b_t = 0. Its adjoint, with I_t = dL/dh_t from later steps (I_{T-1} = dL/d finalState) and
 * e_t[s, c] = C_t[s]·dy_t[c]·g_t[c] the gradient entering through the output, runs backward in time:
 * I_{t-1} = a_t ⊙ (I_t + e_t). Both are linear recurrences with the same decays, so forward and
 * backward use the same scan.
 *
 * <h2>The parallel scan (M members, M + 1 time chunks of equal length)</h2>
 * Forward:
 * <ol>
 *   <li>in parallel: member 0 runs chunk 0 for real (it starts from the true initial state) and
 *       leaves the state at its end in boundary 1; member m ≥ 1 reduces chunk m to its aggregate:
 *       the state its steps reach from a zero state (into boundary m+1) and Σ Δ over its valid
 *       steps, so that the product of its decays is exp(A·Σ Δ);</li>
 *   <li>on the caller, in order of time: boundary k+1 = exp(A·Σ Δ_k) ⊙ boundary k + boundary k+1,
 *       for k = 1…M−1: the true state at the start of every chunk;</li>
 *   <li>in parallel: member j runs chunk j+1 for real from boundary j+1 (outputs, tape, and for the
 *       last chunk the final state).</li>
 * </ol>
 * Every chunk but the first and the last is scanned twice (once reduced, once for real): about
 * 1.2× the work of one member for M = 2 (measured), done in the time of about 2T/(M+1) steps, so at
 * best 1.5× faster than one member for M = 2 on otherwise idle cores. Backward
 * is the mirror image: member 0 runs the last chunk for real from dL/d finalState, the others
 * reduce chunks M−1…1 from a zero adjoint, the caller carries the adjoint at chunk boundaries
 * backward in time, and the members run chunks M−1…0 for real. Parameter gradients of A_log and D
 * are summed per member and added up in member order, so a result depends only on the member count.
 *
 * <p>Without the scan, step by step, the batch rows are split across the members (each runs all
 * steps of its rows). A task the team runs on fewer members than planned (a busy or nested team)
 * does the work of the missing members itself, in the same order.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
final class Scan<A> implements WorkerTeam.Task {
    private enum Phase { FORWARD_ROWS, FORWARD_REDUCE, FORWARD_FINISH, BACKWARD_ROWS, BACKWARD_REDUCE, BACKWARD_FINISH }

    private final Ssm cell;
    private final Ops<A> ops;
    private final Chunk<A> chunk;
    private final int steps, batch, in, d, n, s;
    private final A x, params, out, ws;
    private final int x0, p0, out0, ws0;
    private final float[] mask;
    private final int mask0;
    private final boolean training;
    private final A tape;
    private final int tape0;

    // workspace regions: −exp(A_log)ᵀ (N, H); projections or their gradients; member scratch; boundaries; Σ Δ
    private final int at0, mat0, scratch0, bnd0, sum0;
    private final long memberScratch;
    // projections, (steps·batch, width) each, in the tape (training) or the workspace (inference)
    private final A proj;
    private final int u0, dtRaw0, delta0, du0, z0, g0, yp0, bc0;
    // projection gradients, in the workspace
    private final int dU0, dDt0, dZ0, dBC0;

    private final WorkerTeam team;
    private final int members;
    private final boolean parallelScan;
    private Phase phase;

    // backward inputs
    private A dy, fsg, dInit;
    private int dy0, fsg0, dInit0;

    Scan(Ssm cell, Ops<A> ops, Chunk<A> c) {
        this.cell = cell;
        this.ops = ops;
        this.chunk = c;
        this.steps = c.steps();
        this.batch = c.batch();
        this.in = cell.in;
        this.d = cell.hidden;
        this.n = cell.states;
        this.s = cell.stateSize;
        this.x = c.input().array();
        this.x0 = c.input().offset();
        this.params = c.parameters().array();
        this.p0 = c.parameters().offset();
        this.out = c.output().array();
        this.out0 = c.output().offset();
        this.ws = c.workspace() == null ? null : c.workspace().array();
        this.ws0 = c.workspace() == null ? 0 : c.workspace().offset();
        this.mask = c.mask() == null ? null : c.mask().array();
        this.mask0 = c.mask() == null ? 0 : c.mask().offset();
        this.training = c.tape() != null;
        this.tape = training ? c.tape().array() : null;
        this.tape0 = training ? c.tape().offset() : 0;

        int rows = steps * batch;
        this.memberScratch = cell.memberScratch();
        this.at0 = ws0;
        this.mat0 = at0 + n * d;
        this.scratch0 = (int) (mat0 + rows * cell.projectionWidth());
        this.bnd0 = (int) (scratch0 + cell.maxMembers(steps, batch) * memberScratch);
        this.sum0 = (int) (bnd0 + (Ssm.MAX_MEMBERS + 1L) * batch * s);

        this.proj = training ? tape : ws;
        int p = training ? tape0 + (steps + 1) * batch * s : mat0;
        this.u0 = p;
        this.dtRaw0 = u0 + rows * d;
        this.delta0 = dtRaw0 + rows * d;
        this.du0 = delta0 + rows * d;
        this.z0 = du0 + rows * d;
        this.g0 = z0 + rows * d;
        this.yp0 = g0 + rows * d;
        this.bc0 = yp0 + rows * d;
        this.dU0 = mat0;
        this.dDt0 = dU0 + rows * d;
        this.dZ0 = dDt0 + rows * d;
        this.dBC0 = dZ0 + rows * d;

        this.team = ops.team();
        int available = Math.min(team == null ? 1 : team.size(), Ssm.MAX_MEMBERS);
        this.parallelScan = available > 1 && cell.scanPossible(steps, batch)
                && (cell.scanMode() == ScanMode.PARALLEL || batch < available);
        this.members = parallelScan ? available : Math.max(1, Math.min(available, batch));
    }

    // ---- layout helpers -------------------------------------------------------------------------

    private boolean valid(int t, int b) {
        return mask == null || mask[mask0 + t * batch + b] != 0f;
    }

    /** The tape's state slot t (the state after step t−1) of row b. */
    private int slot(int t, int b) {
        return tape0 + (t * batch + b) * s;
    }

    private int scratch(int member) {
        return (int) (scratch0 + member * memberScratch);
    }

    /** Boundary k (a chunk-boundary state or adjoint, state-major) of row b. */
    private int boundary(int k, int b) {
        return bnd0 + (k * batch + b) * s;
    }

    /** Σ Δ over chunk k's valid steps, of row b. */
    private int deltaSum(int k, int b) {
        return sum0 + (k * batch + b) * d;
    }

    private int chunkBegin(int k) {
        return WorkerTeam.begin(steps, k, members + 1);
    }

    private int chunkEnd(int k) {
        return WorkerTeam.end(steps, k, members + 1);
    }

    /** Channel-major (c·N + s) to state-major (s·H + c), one row. */
    private void toStateMajor(A src, int srcOff, A dst, int dstOff) {
        for (int c = 0; c < d; c++) {
            for (int j = 0; j < n; j++) {
                ops.set(dst, dstOff + j * d + c, ops.get(src, srcOff + c * n + j));
            }
        }
    }

    /** State-major (s·H + c) to channel-major (c·N + s), one row. */
    private void toChannelMajor(A src, int srcOff, A dst, int dstOff) {
        for (int c = 0; c < d; c++) {
            for (int j = 0; j < n; j++) {
                ops.set(dst, dstOff + c * n + j, ops.get(src, srcOff + j * d + c));
            }
        }
    }

    /** Aᵀ = −exp(A_log)ᵀ, (N, H), into the workspace. */
    private void decayRates() {
        toStateMajor(params, p0 + cell.aLog, ws, at0);   // A_log (H, N) → (N, H)
        ops.exp(n * d, ws, at0, ws, at0);
        ops.scale(n * d, -1.0, ws, at0);
    }

    // ---- team work ------------------------------------------------------------------------------

    private void runMembers(Phase p) {
        phase = p;
        if (members > 1) {
            team.run(this);
        } else {
            run(0, 1);
        }
    }

    @Override
    public void run(int member, int teamMembers) {
        for (int m = member; m < members; m += teamMembers) {
            work(m);
        }
    }

    private void work(int m) {
        int last = members;
        switch (phase) {
            case FORWARD_ROWS -> forwardSpan(m, 0, steps, WorkerTeam.begin(batch, m, members), WorkerTeam.end(batch, m, members),
                    -1, -1);
            case FORWARD_REDUCE -> {
                if (m == 0) {
                    forwardSpan(0, chunkBegin(0), chunkEnd(0), 0, batch, -1, 1);
                } else {
                    reduceForward(m, m);
                }
            }
            case FORWARD_FINISH -> forwardSpan(m, chunkBegin(m + 1), chunkEnd(m + 1), 0, batch, m + 1, -1);
            case BACKWARD_ROWS -> backwardSpan(m, 0, steps, WorkerTeam.begin(batch, m, members), WorkerTeam.end(batch, m, members),
                    -1, -1, true);
            case BACKWARD_REDUCE -> {
                if (m == 0) {
                    backwardSpan(0, chunkBegin(last), chunkEnd(last), 0, batch, last, last - 1, false);
                } else {
                    reduceBackward(m, last - m);
                }
            }
            case BACKWARD_FINISH -> {
                int k = last - 1 - m;
                backwardSpan(m, chunkBegin(k), chunkEnd(k), 0, batch, k, -1, k == 0);
            }
        }
    }

    // ---- forward --------------------------------------------------------------------------------

    void forward() {
        if (steps == 0 || batch == 0) {
            ops.copy(batch * s, chunk.initialState().array(), chunk.initialState().offset(),
                    chunk.finalState().array(), chunk.finalState().offset());
            return;
        }
        decayRates();
        project();
        if (parallelScan) {
            runMembers(Phase.FORWARD_REDUCE);
            carryForward();
            runMembers(Phase.FORWARD_FINISH);
        } else {
            runMembers(Phase.FORWARD_ROWS);
        }
    }

    /** u, Δ, B, C and the gate of every step as GEMMs over the whole chunk, then the pointwise maps. */
    private void project() {
        int rows = steps * batch;
        Transpose no = Transpose.NO, yes = Transpose.YES;
        // U = X·W_uᵀ + b_u ; Δ raw = X·W_dtᵀ + b_dt ; [B C] = X·[W_B; W_C]ᵀ ; Z = X·W_zᵀ + b_z
        ops.gemm(no, yes, rows, d, in, 1.0, x, x0, in, params, p0 + cell.weightU, in, 0.0, proj, u0, d);
        ops.addRowVector(rows, d, params, p0 + cell.biasU, proj, u0, d);
        ops.gemm(no, yes, rows, d, in, 1.0, x, x0, in, params, p0 + cell.weightDt, in, 0.0, proj, dtRaw0, d);
        ops.addRowVector(rows, d, params, p0 + cell.biasDt, proj, dtRaw0, d);
        ops.gemm(no, yes, rows, 2 * n, in, 1.0, x, x0, in, params, p0 + cell.weightBC, in, 0.0, proj, bc0, 2 * n);
        ops.gemm(no, yes, rows, d, in, 1.0, x, x0, in, params, p0 + cell.weightZ, in, 0.0, proj, z0, d);
        ops.addRowVector(rows, d, params, p0 + cell.biasZ, proj, z0, d);
        ops.softplus(rows * d, proj, dtRaw0, proj, delta0);     // Δ = softplus(Δ raw) ≥ 0
        ops.mul(rows * d, proj, delta0, proj, u0, proj, du0);   // Δ ⊙ u
        ops.silu(rows * d, proj, z0, proj, g0);                 // g = silu(z)
    }

    /**
     * Runs steps [t0, t1) of rows [b0, b1) for real: states, outputs, tape.
     *
     * @param start        −1: from the chunk's initial state; k: from boundary k
     * @param endBoundary  −1, or the boundary that receives the state after step t1−1
     */
    private void forwardSpan(int m, int t0, int t1, int b0, int b1, int start, int endBoundary) {
        int run = scratch(m);
        A init = chunk.initialState().array();
        int init0 = chunk.initialState().offset();
        for (int b = b0; b < b1; b++) {
            A prev;
            int prevOff;
            if (training) {
                if (start < 0) {
                    toStateMajor(init, init0 + b * s, tape, slot(0, b));
                    prev = tape;
                    prevOff = slot(0, b);
                } else {
                    prev = ws;
                    prevOff = boundary(start, b);
                }
            } else {
                if (start < 0) {
                    toStateMajor(init, init0 + b * s, ws, run);
                } else {
                    ops.copy(s, ws, boundary(start, b), ws, run);
                }
                prev = ws;
                prevOff = run;
            }
            for (int t = t0; t < t1; t++) {
                A next = training ? tape : ws;
                int nextOff = training ? slot(t + 1, b) : run;
                stepForward(m, t, b, prev, prevOff, next, nextOff);
                prev = next;
                prevOff = nextOff;
            }
            if (t1 == steps) {
                toChannelMajor(prev, prevOff, chunk.finalState().array(), chunk.finalState().offset() + b * s);
            }
            if (endBoundary >= 0) {
                ops.copy(s, prev, prevOff, ws, boundary(endBoundary, b));
            }
        }
    }

    /** One step of one row: h_t from h_{t-1} (the regions may coincide), y_t, and y_t before the gate on the tape. */
    private void stepForward(int m, int t, int b, A prev, int prevOff, A next, int nextOff) {
        int r = t * batch + b, rd = r * d;
        if (!valid(t, b)) {
            // padded: the state is carried, the output is 0
            if (prev != next || prevOff != nextOff) {
                ops.copy(s, prev, prevOff, next, nextOff);
            }
            ops.fill(d, 0.0, out, out0 + rd);
            ops.fill(d, 0.0, proj, yp0 + rd);
            return;
        }
        int tmp = scratch(m) + 2 * s + d;
        int delta = delta0 + rd, du = du0 + rd, bc = bc0 + r * 2 * n, yp = yp0 + rd;
        ops.mul(d, proj, u0 + rd, params, p0 + cell.skip, proj, yp);       // y' = D ⊙ u
        for (int j = 0; j < n; j++) {
            int hj = nextOff + j * d;
            ops.mul(d, proj, delta, ws, at0 + j * d, ws, tmp);              // Δ ⊙ A[:, s]
            ops.exp(d, ws, tmp, ws, tmp);                                    // a = exp(Δ·A) ∈ [0, 1]
            ops.mul(d, ws, tmp, prev, prevOff + j * d, next, hj);            // h[s] = a ⊙ h_{t-1}[s]
            ops.axpy(d, ops.get(proj, bc + j), proj, du, next, hj);          //      + B[s]·(Δ ⊙ u)
            ops.axpy(d, ops.get(proj, bc + n + j), next, hj, proj, yp);      // y' += C[s]·h[s]
        }
        ops.mul(d, proj, yp, proj, g0 + rd, out, out0 + rd);                 // y = y' ⊙ g
    }

    /** Chunk k's aggregate from a zero state: its end state into boundary k+1, Σ Δ of its valid steps. */
    private void reduceForward(int m, int k) {
        int tmp = scratch(m) + 2 * s + d;
        int t0 = chunkBegin(k), t1 = chunkEnd(k);
        for (int b = 0; b < batch; b++) {
            int h = boundary(k + 1, b), sum = deltaSum(k, b);
            ops.fill(s, 0.0, ws, h);
            ops.fill(d, 0.0, ws, sum);
            for (int t = t0; t < t1; t++) {
                if (!valid(t, b)) {
                    continue;
                }
                int r = t * batch + b, delta = delta0 + r * d, du = du0 + r * d, bc = bc0 + r * 2 * n;
                ops.add(d, ws, sum, proj, delta, ws, sum);
                for (int j = 0; j < n; j++) {
                    ops.mul(d, proj, delta, ws, at0 + j * d, ws, tmp);
                    ops.exp(d, ws, tmp, ws, tmp);
                    ops.mul(d, ws, tmp, ws, h + j * d, ws, h + j * d);
                    ops.axpy(d, ops.get(proj, bc + j), proj, du, ws, h + j * d);
                }
            }
        }
    }

    /** Boundary k+1 = exp(A·Σ Δ_k) ⊙ boundary k + boundary k+1, for k = 1…M−1, in order of time. */
    private void carryForward() {
        int tmp = scratch(0) + 2 * s + d;
        for (int k = 1; k < members; k++) {
            for (int b = 0; b < batch; b++) {
                int sum = deltaSum(k, b), from = boundary(k, b), to = boundary(k + 1, b);
                for (int j = 0; j < n; j++) {
                    ops.mul(d, ws, sum, ws, at0 + j * d, ws, tmp);
                    ops.exp(d, ws, tmp, ws, tmp);
                    ops.addMul(d, ws, tmp, ws, from + j * d, ws, to + j * d);
                }
            }
        }
    }

    // ---- backward -------------------------------------------------------------------------------

    void backward(ChunkGradients<A> g) {
        dy = g.outputGrad() == null ? null : g.outputGrad().array();
        dy0 = g.outputGrad() == null ? 0 : g.outputGrad().offset();
        fsg = g.finalStateGrad() == null ? null : g.finalStateGrad().array();
        fsg0 = g.finalStateGrad() == null ? 0 : g.finalStateGrad().offset();
        dInit = g.initialStateGrad() == null ? null : g.initialStateGrad().array();
        dInit0 = g.initialStateGrad() == null ? 0 : g.initialStateGrad().offset();
        if (steps == 0 || batch == 0) {
            if (dInit != null) {
                if (fsg != null) {
                    ops.copy(batch * s, fsg, fsg0, dInit, dInit0);
                } else {
                    ops.fill(batch * s, 0.0, dInit, dInit0);
                }
            }
            if (g.inputGrad() != null) {
                ops.fill(steps * batch * in, 0.0, g.inputGrad().array(), g.inputGrad().offset());
            }
            return;
        }
        decayRates();
        for (int m = 0; m < members; m++) {
            ops.fill(s + d, 0.0, ws, scratch(m) + s);   // dA (N, H) and dD (H) of member m
        }
        if (parallelScan) {
            for (int b = 0; b < batch; b++) {
                incoming(b, ws, boundary(members, b));
            }
            runMembers(Phase.BACKWARD_REDUCE);
            carryBackward();
            runMembers(Phase.BACKWARD_FINISH);
        } else {
            runMembers(Phase.BACKWARD_ROWS);
        }
        gatherMemberGradients(g);
        projectionGradients(g);
    }

    /** dL/d finalState of row b, state-major, into dst (zeros when there is none). */
    private void incoming(int b, A dst, int dstOff) {
        if (fsg != null) {
            toStateMajor(fsg, fsg0 + b * s, dst, dstOff);
        } else {
            ops.fill(s, 0.0, dst, dstOff);
        }
    }

    /**
     * Runs steps t1−1 down to t0 of rows [b0, b1) for real: projection gradients, dA and dD.
     *
     * @param start        −1: from dL/d finalState; k: from the adjoint in boundary k
     * @param endBoundary  −1, or the boundary that receives the adjoint before step t0
     * @param toInitial    whether the adjoint before step t0 is dL/d initialState
     */
    private void backwardSpan(int m, int t0, int t1, int b0, int b1, int start, int endBoundary, boolean toInitial) {
        int run = scratch(m);
        for (int b = b0; b < b1; b++) {
            if (start < 0) {
                incoming(b, ws, run);
            } else {
                ops.copy(s, ws, boundary(start, b), ws, run);
            }
            for (int t = t1 - 1; t >= t0; t--) {
                stepBackward(m, t, b, run);
            }
            if (toInitial && dInit != null) {
                toChannelMajor(ws, run, dInit, dInit0 + b * s);
            }
            if (endBoundary >= 0) {
                ops.copy(s, ws, run, ws, boundary(endBoundary, b));
            }
        }
    }

    /**
     * One step of one row backward. {@code run} holds I_t = dL/dh_t from later steps (state-major) and
     * receives I_{t-1}; the step's projection gradients are written, dA and dD accumulated.
     */
    private void stepBackward(int m, int t, int b, int run) {
        int r = t * batch + b, rd = r * d, rbc = r * 2 * n;
        if (!valid(t, b)) {
            // padded: the adjoint passes through; no gradient to projections (so none to parameters or input)
            ops.fill(d, 0.0, ws, dU0 + rd);
            ops.fill(d, 0.0, ws, dDt0 + rd);
            ops.fill(d, 0.0, ws, dZ0 + rd);
            ops.fill(2 * n, 0.0, ws, dBC0 + rbc);
            return;
        }
        int base = scratch(m);
        int dA = base + s, dD = base + 2 * s, tmp = dD + d, tmp2 = tmp + d, dyg = tmp2 + d, gdu = dyg + d, ddelta = gdu + d;
        int hNext = slot(t + 1, b), hPrev = slot(t, b);
        int delta = delta0 + rd, du = du0 + rd, bc = bc0 + rbc;
        if (dy != null) {
            ops.mul(d, dy, dy0 + rd, proj, g0 + rd, ws, dyg);                // dy ⊙ g
            ops.mul(d, dy, dy0 + rd, proj, yp0 + rd, ws, dZ0 + rd);          // dL/dg = dy ⊙ y'
            ops.siluBackward(d, proj, z0 + rd, ws, dZ0 + rd, ws, dZ0 + rd);  // dL/dz
            ops.addMul(d, ws, dyg, proj, u0 + rd, ws, dD);                    // dD += dy ⊙ g ⊙ u
            ops.mul(d, ws, dyg, params, p0 + cell.skip, ws, dU0 + rd);        // du = dy ⊙ g ⊙ D
            for (int j = 0; j < n; j++) {
                // dC[s] = (dy ⊙ g)·h_t[s] ; G[s] = I_t[s] + C[s]·(dy ⊙ g), the whole dL/dh_t
                ops.set(ws, dBC0 + rbc + n + j, ops.dot(d, ws, dyg, tape, hNext + j * d));
                ops.axpy(d, ops.get(proj, bc + n + j), ws, dyg, ws, run + j * d);
            }
        } else {
            ops.fill(d, 0.0, ws, dZ0 + rd);
            ops.fill(d, 0.0, ws, dU0 + rd);
            ops.fill(n, 0.0, ws, dBC0 + rbc + n);
        }
        ops.fill(d, 0.0, ws, gdu);
        ops.fill(d, 0.0, ws, ddelta);
        for (int j = 0; j < n; j++) {
            int gj = run + j * d;
            ops.set(ws, dBC0 + rbc + j, ops.dot(d, ws, gj, proj, du));       // dB[s] = G[s]·(Δ ⊙ u)
            ops.axpy(d, ops.get(proj, bc + j), ws, gj, ws, gdu);              // d(Δ ⊙ u) += B[s]·G[s]
            ops.mul(d, proj, delta, ws, at0 + j * d, ws, tmp);
            ops.exp(d, ws, tmp, ws, tmp);                                     // a = exp(Δ·A[:, s])
            ops.mul(d, ws, gj, tape, hPrev + j * d, ws, tmp2);               // dL/da = G ⊙ h_{t-1}
            ops.mul(d, ws, tmp2, ws, tmp, ws, tmp2);                          // dL/d(Δ·A) = dL/da ⊙ a
            ops.addMul(d, ws, tmp2, ws, at0 + j * d, ws, ddelta);             // dΔ += dL/d(Δ·A) ⊙ A
            ops.addMul(d, ws, tmp2, proj, delta, ws, dA + j * d);             // dA += dL/d(Δ·A) ⊙ Δ
            ops.mul(d, ws, tmp, ws, gj, ws, gj);                              // I_{t-1}[s] = a ⊙ G[s]
        }
        ops.addMul(d, proj, delta, ws, gdu, ws, dU0 + rd);                    // du += Δ ⊙ d(Δ ⊙ u)
        ops.addMul(d, proj, u0 + rd, ws, gdu, ws, ddelta);                    // dΔ += u ⊙ d(Δ ⊙ u)
        ops.softplusBackward(d, proj, dtRaw0 + rd, ws, ddelta, ws, dDt0 + rd); // d Δ raw = dΔ ⊙ σ(Δ raw)
    }

    /** Chunk k's aggregate adjoint from zero at its end (into boundary k−1), and Σ Δ of its valid steps. */
    private void reduceBackward(int m, int k) {
        int base = scratch(m);
        int tmp = base + 2 * s + d, dyg = tmp + 2 * d;
        int t0 = chunkBegin(k), t1 = chunkEnd(k);
        for (int b = 0; b < batch; b++) {
            int lam = boundary(k - 1, b), sum = deltaSum(k, b);
            ops.fill(s, 0.0, ws, lam);
            ops.fill(d, 0.0, ws, sum);
            for (int t = t1 - 1; t >= t0; t--) {
                if (!valid(t, b)) {
                    continue;
                }
                int r = t * batch + b, rd = r * d, delta = delta0 + rd, bc = bc0 + r * 2 * n;
                ops.add(d, ws, sum, proj, delta, ws, sum);
                if (dy == null) {
                    continue; // the adjoint stays 0: only the product of decays matters
                }
                ops.mul(d, dy, dy0 + rd, proj, g0 + rd, ws, dyg);
                for (int j = 0; j < n; j++) {
                    int lj = lam + j * d;
                    ops.axpy(d, ops.get(proj, bc + n + j), ws, dyg, ws, lj);
                    ops.mul(d, proj, delta, ws, at0 + j * d, ws, tmp);
                    ops.exp(d, ws, tmp, ws, tmp);
                    ops.mul(d, ws, tmp, ws, lj, ws, lj);
                }
            }
        }
    }

    /** Boundary k−1 = exp(A·Σ Δ_k) ⊙ boundary k + boundary k−1, for k = M−1 down to 1. */
    private void carryBackward() {
        int tmp = scratch(0) + 2 * s + d;
        for (int k = members - 1; k >= 1; k--) {
            for (int b = 0; b < batch; b++) {
                int sum = deltaSum(k, b), from = boundary(k, b), to = boundary(k - 1, b);
                for (int j = 0; j < n; j++) {
                    ops.mul(d, ws, sum, ws, at0 + j * d, ws, tmp);
                    ops.exp(d, ws, tmp, ws, tmp);
                    ops.addMul(d, ws, tmp, ws, from + j * d, ws, to + j * d);
                }
            }
        }
    }

    /** Adds the members' dA and dD (in member order) to the gradients of A_log (dA ⊙ A) and D. */
    private void gatherMemberGradients(ChunkGradients<A> g) {
        A gp = g.parameterGrad().array();
        int gp0 = g.parameterGrad().offset();
        int acc = scratch(0) + s;
        for (int m = 1; m < members; m++) {
            ops.add(s + d, ws, acc, ws, scratch(m) + s, ws, acc);
        }
        ops.add(d, gp, gp0 + cell.skip, ws, acc + s, gp, gp0 + cell.skip);
        int a = gp0 + cell.aLog;
        for (int c = 0; c < d; c++) {
            for (int j = 0; j < n; j++) {
                // A = −exp(A_log), so dL/dA_log = dL/dA · A
                int i = j * d + c;
                ops.set(gp, a + c * n + j, ops.get(gp, a + c * n + j) + ops.get(ws, acc + i) * ops.get(ws, at0 + i));
            }
        }
    }

    /** Weight and bias gradients as GEMMs over all steps, and dX. */
    private void projectionGradients(ChunkGradients<A> g) {
        int rows = steps * batch;
        A gp = g.parameterGrad().array();
        int gp0 = g.parameterGrad().offset();
        Transpose no = Transpose.NO, yes = Transpose.YES;
        // dW += dPᵀ·X for each projection P ; biases: column sums
        ops.gemm(yes, no, d, in, rows, 1.0, ws, dU0, d, x, x0, in, 1.0, gp, gp0 + cell.weightU, in);
        ops.gemm(yes, no, d, in, rows, 1.0, ws, dDt0, d, x, x0, in, 1.0, gp, gp0 + cell.weightDt, in);
        ops.gemm(yes, no, 2 * n, in, rows, 1.0, ws, dBC0, 2 * n, x, x0, in, 1.0, gp, gp0 + cell.weightBC, in);
        ops.gemm(yes, no, d, in, rows, 1.0, ws, dZ0, d, x, x0, in, 1.0, gp, gp0 + cell.weightZ, in);
        ops.addColumnSums(rows, d, ws, dU0, d, gp, gp0 + cell.biasU);
        ops.addColumnSums(rows, d, ws, dDt0, d, gp, gp0 + cell.biasDt);
        ops.addColumnSums(rows, d, ws, dZ0, d, gp, gp0 + cell.biasZ);
        if (g.inputGrad() != null) {
            // dX = dU·W_u + dΔraw·W_dt + d[B C]·[W_B; W_C] + dZ·W_z
            A dx = g.inputGrad().array();
            int dx0 = g.inputGrad().offset();
            ops.gemm(no, no, rows, in, d, 1.0, ws, dU0, d, params, p0 + cell.weightU, in, 0.0, dx, dx0, in);
            ops.gemm(no, no, rows, in, d, 1.0, ws, dDt0, d, params, p0 + cell.weightDt, in, 1.0, dx, dx0, in);
            ops.gemm(no, no, rows, in, 2 * n, 1.0, ws, dBC0, 2 * n, params, p0 + cell.weightBC, in, 1.0, dx, dx0, in);
            ops.gemm(no, no, rows, in, d, 1.0, ws, dZ0, d, params, p0 + cell.weightZ, in, 1.0, dx, dx0, in);
        }
    }
}
