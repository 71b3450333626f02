package io.github.rnnlab.diagnose;

import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellLayout;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Role;
import io.github.rnnlab.linalg.Eigenvalues;
import io.github.rnnlab.linalg.Matrix;
import io.github.rnnlab.linalg.Svd;
import io.github.rnnlab.nn.Parameters;
import io.github.rnnlab.numeric.Ops;

import java.util.ArrayList;
import java.util.List;

/**
 * The spectra of a model's recurrent weight blocks: for every parameter block whose role is
 * {@link Role#RECURRENT_WEIGHT}, split into its H×H gate blocks, the spectral radius
 * {@code ρ(W) = max |λᵢ|} and the singular values {@code σ₁ ≥ … ≥ σ_H}. The linearised recurrence
 * {@code h ← W·h} shrinks every direction when σ₁ &lt; 1 and grows some direction for ever when ρ &gt; 1;
 * the step Jacobian of a cell is W scaled row by row by the derivative of its nonlinearity, so these
 * bound what {@link GradientFlow} measures.
 *
 * <p>Blocks are found through the SPI alone: a recurrent weight of shape (G·H, H), with G the
 * provider's {@link CellProvider#gateCount()} and H the cell's hidden size, is split into G gate blocks
 * (gate g = rows g·H … (g+1)·H − 1, in the cell's gate order); any other square recurrent weight is one
 * block; a non-square one that is not a gate stack is one block with singular values only (no
 * eigenvalues: spectral radius NaN).
 *
 * <p>Algorithms: {@link Eigenvalues} (Hessenberg QR, about 10·n³ flops) and {@link Svd} (one-sided
 * Jacobi). Both run in float64 on a copy of the block, and both are tested against matrices with
 * known spectra; for H in the thousands they take seconds.
 */
public final class RecurrentSpectra {
    private RecurrentSpectra() {
    }

    /**
     * The spectrum of one recurrent weight block.
     *
     * @param parameter      the parameter's name, e.g. {@code rnn.weight_hh_l0}
     * @param gate           the gate index within a (G·H, H) stack (in the cell's gate order), or −1 for a whole block
     * @param gates          G, the number of gate blocks the parameter was split into (1 for a whole block)
     * @param rows           rows of the block
     * @param cols           columns of the block
     * @param spectralRadius ρ = max |λᵢ|, NaN for a non-square block
     * @param singularValues σ, descending
     */
    public record BlockSpectrum(String parameter, int gate, int gates, int rows, int cols, double spectralRadius,
                                double[] singularValues) {
        public BlockSpectrum {
            singularValues = singularValues.clone();
        }

        @Override
        public double[] singularValues() {
            return singularValues.clone();
        }

        /** σ₁, the spectral norm. */
        public double largestSingularValue() {
            return singularValues.length == 0 ? 0 : singularValues[0];
        }

        /** σ_min. */
        public double smallestSingularValue() {
            return singularValues.length == 0 ? 0 : singularValues[singularValues.length - 1];
        }

        /** {@code weight_hh_l0[gate 1/4]} or the bare parameter name for a whole block. */
        public String label() {
            return gate < 0 ? parameter : parameter + "[gate " + gate + "/" + gates + "]";
        }
    }

    /**
     * The spectra of every recurrent weight block of {@code parameters} (a model's parameter set, whose
     * cell blocks carry their {@link io.github.rnnlab.cell.ParameterSpec} and configuration), in layout
     * order, gate blocks in gate order.
     *
     * @param cell the provider of the model's cell (for its gate count)
     */
    public static <A> List<BlockSpectrum> of(Parameters<A> parameters, CellProvider cell) {
        Ops<A> ops = parameters.ops();
        List<BlockSpectrum> out = new ArrayList<>();
        for (Parameters.Block b : parameters.blocks()) {
            if (b.role() != Role.RECURRENT_WEIGHT || b.config() == null) {
                continue;
            }
            double[] v = new double[b.size()];
            ops.toDoubles(b.size(), parameters.values(), b.offset(), v, 0);
            int[] shape = b.shape();
            add(out, b.name(), v, shape[0], shape.length > 1 ? shape[1] : 1, b.config(), cell.gateCount());
        }
        return out;
    }

    /**
     * The spectra of the recurrent weight blocks of one cell's flat parameter vector {@code params}
     * (laid out as {@code layout}), named by the cell's block names.
     */
    public static List<BlockSpectrum> of(CellLayout layout, CellConfig config, int gateCount, double[] params, int offset) {
        List<BlockSpectrum> out = new ArrayList<>();
        for (CellLayout.ParameterBlock b : layout.parameters()) {
            if (b.spec().role() != Role.RECURRENT_WEIGHT) {
                continue;
            }
            double[] v = java.util.Arrays.copyOfRange(params, offset + b.offset(), offset + b.offset() + b.size());
            add(out, b.name(), v, b.rows(), b.cols(), config, gateCount);
        }
        return out;
    }

    private static void add(List<BlockSpectrum> out, String name, double[] v, int rows, int cols, CellConfig config, int gateCount) {
        int h = config.hiddenSize();
        if (gateCount >= 1 && cols == h && rows == gateCount * h) {
            for (int g = 0; g < gateCount; g++) {
                Matrix m = Matrix.of(h, h, v, g * h * h, h);
                out.add(new BlockSpectrum(name, gateCount == 1 ? -1 : g, gateCount, h, h, Eigenvalues.spectralRadius(m), Svd.singularValues(m)));
            }
        } else {
            Matrix m = Matrix.of(rows, cols, v, 0, cols);
            double radius = rows == cols ? Eigenvalues.spectralRadius(m) : Double.NaN;
            out.add(new BlockSpectrum(name, -1, 1, rows, cols, radius, Svd.singularValues(m)));
        }
    }
}
