package io.github.rnnlab.init;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.Initializer;
import io.github.rnnlab.numeric.Rng;

import java.util.Arrays;

/**
 * A (semi-)orthogonal matrix times {@code gain} (Saxe et al. 2014), as {@code torch.nn.init.orthogonal_}:
 * a Gaussian matrix is factored by a Householder QR decomposition and Q's columns are multiplied by
 * the signs of R's diagonal, so that Q is uniformly (Haar) distributed. For an r×c block the result
 * has orthonormal columns when r ≥ c and orthonormal rows when r &lt; c; a square block is orthogonal,
 * so every singular value (and every eigenvalue's modulus, the spectral radius included) equals
 * {@code gain}.
 *
 * <p><b>Stacked gates.</b> With {@link Blocks#GATES} (the default), a matrix whose row count is a
 * multiple k·H of the hidden size H is treated as k blocks of H rows, each initialised on its own:
 * every H×H gate block of {@code weight_hh} (G·H, H) is orthogonal, and every H×in block of
 * {@code weight_ih} (G·H, in) has orthonormal rows or columns. Other matrices, and every matrix with
 * {@link Blocks#WHOLE}, are one block.
 *
 * @param gain   the scale factor, finite and &gt; 0
 * @param blocks how a stacked gate matrix is split
 */
public record Orthogonal(double gain, Blocks blocks) implements Initializer {

    /** How a matrix is split before each part is made orthogonal. */
    public enum Blocks {
        /** Blocks of H rows when the row count is a multiple of the hidden size H; else the whole matrix. */
        GATES,
        /** The whole matrix, as {@code torch.nn.init.orthogonal_} on the parameter. */
        WHOLE
    }

    public Orthogonal {
        Xavier.checkGain(gain);
        if (blocks == null) {
            throw new IllegalArgumentException("orthogonal needs a block mode");
        }
    }

    /** Per gate block, with {@code gain}. */
    public Orthogonal(double gain) {
        this(gain, Blocks.GATES);
    }

    /** The number of rows of each block of a {@code rows}-row matrix, for hidden size {@code hidden}. */
    public int blockRows(int rows, int hidden) {
        return blocks == Blocks.GATES && rows % hidden == 0 ? hidden : rows;
    }

    @Override
    public void fill(double[] values, int[] shape, CellConfig config, Rng rng) {
        if (shape.length != 2) {
            throw new CellConfig.InvalidConfigException("orthogonal needs a matrix (rows, cols), got a block of shape "
                    + Arrays.toString(shape));
        }
        int rows = shape[0], cols = shape[1];
        int br = blockRows(rows, config.hiddenSize());
        for (int r0 = 0; r0 < rows; r0 += br) {
            semiOrthogonal(br, cols, gain, rng, values, r0 * cols);
        }
    }

    /**
     * Writes an r×c (semi-)orthogonal matrix times {@code gain}, row-major, at {@code out[off…off+r·c)},
     * drawing r·c standard normals from {@code rng}.
     */
    public static void semiOrthogonal(int r, int c, double gain, Rng rng, double[] out, int off) {
        // As torch.nn.init.orthogonal_: draw G (r×c); factor A = G (or Gᵀ when r < c), which is m×k, m ≥ k.
        double[] g = new double[r * c];
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.nextGaussian();
        }
        boolean wide = r < c;
        int m = wide ? c : r, k = wide ? r : c;
        double[] a = wide ? transpose(g, r, c) : g;
        double[] q = new double[m * k];
        double[] rDiag = new double[k];
        householderQ(a, m, k, q, rDiag);
        // Q ← Q·diag(sign(diag R)): the factorisation with a positive diagonal, hence Haar-distributed Q.
        for (int j = 0; j < k; j++) {
            double s = rDiag[j] < 0 ? -gain : gain;
            for (int i = 0; i < m; i++) {
                q[i * k + j] *= s;
            }
        }
        double[] result = wide ? transpose(q, m, k) : q;
        System.arraycopy(result, 0, out, off, r * c);
    }

    /**
     * Thin Householder QR of A (m×k, m ≥ k, row-major, overwritten): writes Q (m×k, orthonormal
     * columns) and the diagonal of R (k).
     */
    static void householderQ(double[] a, int m, int k, double[] q, double[] rDiag) {
        double[] v = new double[m * k]; // reflector j in column j, rows j…m-1
        for (int j = 0; j < k; j++) {
            double norm = 0;
            for (int i = j; i < m; i++) {
                norm = Math.hypot(norm, a[i * k + j]);
            }
            // H_j x = alpha·e_1 with alpha = −sign(x_0)·‖x‖ (no cancellation in x_0 − alpha)
            double alpha = a[j * k + j] > 0 ? -norm : norm;
            rDiag[j] = alpha;
            double vv = 0;
            for (int i = j; i < m; i++) {
                double vi = a[i * k + j] - (i == j ? alpha : 0);
                v[i * k + j] = vi;
                vv += vi * vi;
            }
            if (vv == 0) {
                continue; // x is already alpha·e_1: H_j = I
            }
            // A[j…, j+1…] ← (I − 2vvᵀ/vᵀv)·A[j…, j+1…]
            for (int col = j + 1; col < k; col++) {
                double dot = 0;
                for (int i = j; i < m; i++) {
                    dot += v[i * k + j] * a[i * k + col];
                }
                double f = 2 * dot / vv;
                for (int i = j; i < m; i++) {
                    a[i * k + col] -= f * v[i * k + j];
                }
            }
        }
        // Q = H_0·H_1·…·H_{k-1}·I[:, 0…k-1], applied right to left.
        Arrays.fill(q, 0);
        for (int i = 0; i < k; i++) {
            q[i * k + i] = 1;
        }
        for (int j = k - 1; j >= 0; j--) {
            double vv = 0;
            for (int i = j; i < m; i++) {
                vv += v[i * k + j] * v[i * k + j];
            }
            if (vv == 0) {
                continue;
            }
            for (int col = 0; col < k; col++) {
                double dot = 0;
                for (int i = j; i < m; i++) {
                    dot += v[i * k + j] * q[i * k + col];
                }
                double f = 2 * dot / vv;
                for (int i = j; i < m; i++) {
                    q[i * k + col] -= f * v[i * k + j];
                }
            }
        }
    }

    private static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return "orthogonal(" + gain + (blocks == Blocks.WHOLE ? ", whole" : "") + ")";
    }
}
