package io.github.rnnlab.diagnose;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.ChunkGradients;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.linalg.ConvergenceException;
import io.github.rnnlab.linalg.Matrix;
import io.github.rnnlab.linalg.Svd;
import io.github.rnnlab.numeric.F64Ops;

/**
 * The exact Jacobian {@code J = ∂s_t/∂s_{t-1}} of one step of a cell, S×S for a state row of S
 * elements (all the cell's states, {@code h} first: for the LSTM {@code [h | c]}), at a given input
 * {@code x_t} and state {@code s_{t-1}}, in float64, computed through the cell's own backward pass
 * and nothing else: S vector–Jacobian products {@code e_iᵀ·J} (row i of J), done as one forward and
 * one backward step over a batch of S copies of the row, copy i receiving the unit final-state
 * gradient {@code e_i} (and no output gradient). Works for any {@link Cell}.
 *
 * <p>Cost per Jacobian: one step forward and backward at batch S. Buffers are reused from call to call;
 * an instance serves one thread.
 */
public final class StepJacobian {
    private static final F64Ops OPS = F64Ops.INSTANCE;
    /** Up to this state size the spectral norm comes from a full SVD; above it from power iteration. */
    static final int FULL_SVD_MAX = 64;

    private final Cell cell;
    private final double[] params;
    private final int paramOffset;
    private final int s;
    private final int in;
    private final double[] x;
    private final double[] state0;
    private final double[] state1;
    private final double[] output;
    private final double[] tape;
    private final double[] workspace;
    private final double[] identity;
    private final double[] paramGrad;
    private final double[] stateGrad;

    /**
     * @param cell        the cell
     * @param params      its flat parameter vector (float64), from {@code paramOffset}; not modified
     */
    public StepJacobian(Cell cell, double[] params, int paramOffset) {
        this.cell = cell;
        this.params = params;
        this.paramOffset = paramOffset;
        ShapeException.checkRegion("cell parameters", params.length, paramOffset, cell.layout().parameterCount());
        this.s = cell.layout().stateSize();
        this.in = cell.config().inputSize();
        this.x = new double[s * in];
        this.state0 = new double[s * s];
        this.state1 = new double[s * s];
        this.output = new double[s * cell.outputSize()];
        this.tape = new double[(int) cell.tapeSize(1, s)];
        this.workspace = new double[(int) Math.max(1, cell.workspaceSize(1, s))];
        this.identity = new double[s * s];
        for (int i = 0; i < s; i++) {
            identity[i * s + i] = 1;
        }
        this.paramGrad = new double[cell.layout().parameterCount()];
        this.stateGrad = new double[s * s];
    }

    /** S, the size of the state row (and of the Jacobian). */
    public int stateSize() {
        return s;
    }

    /**
     * J = ∂s_t/∂s_{t-1}: element (i, j) = ∂ s_t[i] / ∂ s_{t-1}[j].
     *
     * @param input  x_t, {@code inputSize} values from {@code inputOff}; not modified
     * @param state  s_{t-1}, S values from {@code stateOff}; not modified
     */
    public Matrix at(double[] input, int inputOff, double[] state, int stateOff) {
        ShapeException.checkRegion("step input", input.length, inputOff, in);
        ShapeException.checkRegion("step state", state.length, stateOff, s);
        for (int i = 0; i < s; i++) {
            System.arraycopy(input, inputOff, x, i * in, in);
            System.arraycopy(state, stateOff, state0, i * s, s);
        }
        Chunk<double[]> chunk = new Chunk<>(1, s, in, Slice.of(x), null, new Slice<>(params, paramOffset),
                Slice.of(state0), Slice.of(output), Slice.of(state1), Slice.of(tape), Slice.of(workspace));
        cell.forward(OPS, chunk);
        // paramGrad only accumulates (nobody reads it); keep it bounded.
        java.util.Arrays.fill(paramGrad, 0);
        cell.backward(OPS, chunk, new ChunkGradients<>(null, Slice.of(identity), Slice.of(paramGrad), null, Slice.of(stateGrad)));
        return Matrix.of(s, s, stateGrad);
    }

    /**
     * The spectral norm σ₁ of {@code m}, the largest factor by which it stretches any vector: from a
     * full SVD up to 64 rows and columns, else by power iteration on MᵀM (stopping when an estimate
     * changes by at most 1e-9 of itself, at most 1000 iterations). Power iteration gives a lower bound;
     * where σ₁ and σ₂ nearly coincide it converges slowly, but its estimate then lies between them.
     *
     * @throws io.github.rnnlab.linalg.NonFiniteMatrixException if {@code m} holds NaN or an infinity
     */
    public static double spectralNorm(Matrix m) {
        if (Math.max(m.rows(), m.cols()) <= FULL_SVD_MAX) {
            try {
                double[] sv = Svd.singularValues(m);
                return sv.length == 0 ? 0 : sv[0];
            } catch (ConvergenceException e) {
                // not observed since rank-deficient matrices are handled; power iteration still answers
            }
        }
        return Svd.largestSingularValue(m, 1e-9, 1000).value();
    }

    /**
     * The root-mean-square singular value of square {@code m}, {@code ‖M‖_F/√n = (Σσᵢ²/n)^½}: the factor
     * by which it stretches a random direction on average ({@code E‖uᵀM‖² = ‖u‖²·‖M‖²_F/n} for u uniform
     * on the sphere). Where the spectral norm is the worst case, this is the typical case: for
     * U(−1/√H, 1/√H) weights it is about 1/√3, for an orthogonal matrix exactly 1.
     */
    public static double rmsGain(Matrix m) {
        return m.frobeniusNorm() / Math.sqrt(Math.max(1, m.cols()));
    }

    /** The r×r block of square {@code m} at rows and columns {@code from … from + r − 1}. */
    static Matrix diagonalBlock(Matrix m, int from, int r) {
        return Matrix.of(r, r, m.toArray(), from * m.cols() + from, m.cols());
    }
}
