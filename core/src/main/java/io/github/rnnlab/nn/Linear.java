package io.github.rnnlab.nn;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.kernel.Transpose;
import io.github.rnnlab.numeric.Ops;

/**
 * A fully connected layer {@code y = x·Wᵀ + b}, PyTorch's {@code nn.Linear}: {@code weight} (out, in),
 * {@code bias} (out), both initialised U(−1/√in, 1/√in) as PyTorch's default (its kaiming-uniform with
 * a = √5 is the same bound for the weight). Applied to every row of a (rows, in) matrix, e.g. every
 * (step, batch) position of a recurrent output.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class Linear<A> {
    private final Ops<A> ops;
    private final Parameters<A> parameters;
    private final Parameters.Block weight;
    private final Parameters.Block bias;
    private final int in;
    private final int out;

    /** Adds {@code prefix + "weight"} and {@code prefix + "bias"} to {@code parameters}. */
    public Linear(Parameters<A> parameters, String prefix, int in, int out) {
        if (in < 1 || out < 1) {
            throw new ShapeException("a linear layer needs positive sizes, got in=" + in + " out=" + out);
        }
        this.ops = parameters.ops();
        this.parameters = parameters;
        this.in = in;
        this.out = out;
        double bound = 1 / Math.sqrt(in);
        Parameters.Init uniform = (v, shape, rng) -> {
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.uniform(-bound, bound);
            }
        };
        this.weight = parameters.add(prefix + "weight", new int[]{out, in}, Role.OTHER, null, null, uniform);
        this.bias = parameters.add(prefix + "bias", new int[]{out}, Role.OTHER, null, null, uniform);
    }

    public int inputSize() {
        return in;
    }

    public int outputSize() {
        return out;
    }

    /**
     * {@code Y = X·Wᵀ + b}: X (rows, in) not modified, Y (rows, out) written (must not overlap X). The
     * rows of Y start as b and the GEMM accumulates into them: one pass over Y.
     */
    public void forward(int rows, A x, int xOff, A y, int yOff) {
        A w = parameters.values();
        for (int r = 0; r < rows; r++) {
            ops.copy(out, w, bias.offset(), y, yOff + r * out);
        }
        ops.gemm(Transpose.NO, Transpose.YES, rows, out, in, 1, x, xOff, in, w, weight.offset(), in, 1, y, yOff, out);
    }

    /**
     * Accumulates {@code dW += dYᵀ·X}, {@code db += Σ rows of dY} and, when {@code dx} is not null,
     * writes {@code dX = dY·W}. X (rows, in) and dY (rows, out) are not modified.
     */
    public void backward(int rows, A x, int xOff, A dy, int dyOff, A dx, int dxOff) {
        A w = parameters.values();
        A g = parameters.gradients();
        ops.gemm(Transpose.YES, Transpose.NO, out, in, rows, 1, dy, dyOff, out, x, xOff, in, 1, g, weight.offset(), in);
        ops.addColumnSums(rows, out, dy, dyOff, out, g, bias.offset());
        if (dx != null) {
            ops.gemm(Transpose.NO, Transpose.NO, rows, in, out, 1, dy, dyOff, out, w, weight.offset(), in, 0, dx, dxOff, in);
        }
    }
}
