package io.github.rnnlab.diagnose;

import io.github.rnnlab.ShapeException;
import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.CellProvider;
import io.github.rnnlab.cell.Chunk;
import io.github.rnnlab.cell.ProbeProvider;
import io.github.rnnlab.cell.Slice;
import io.github.rnnlab.fixture.ElmanTestCell;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.init.ParameterInit;
import io.github.rnnlab.linalg.Matrix;
import io.github.rnnlab.linalg.Svd;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exact step Jacobian against central finite differences of one forward step, in float64. */
class StepJacobianTest {
    static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    /** s_t for one row: the cell's forward over one step from {@code state} with input {@code x}. */
    static double[] step(Cell cell, double[] params, double[] x, double[] state) {
        int s = cell.layout().stateSize();
        double[] next = new double[s];
        double[] ws = new double[(int) Math.max(1, cell.workspaceSize(1, 1))];
        cell.forward(F64Ops.INSTANCE, new Chunk<>(1, 1, x.length, Slice.of(x), null, Slice.of(params), Slice.of(state.clone()),
                Slice.of(new double[cell.outputSize()]), Slice.of(next), null, Slice.of(ws)));
        return next;
    }

    /** (∂s_t/∂s_{t-1}) by central differences. */
    static Matrix finiteDifferences(Cell cell, double[] params, double[] x, double[] state) {
        int s = state.length;
        double[] j = new double[s * s];
        for (int c = 0; c < s; c++) {
            double[] plus = state.clone(), minus = state.clone();
            plus[c] += EPS;
            minus[c] -= EPS;
            double[] fp = step(cell, params, x, plus), fm = step(cell, params, x, minus);
            for (int r = 0; r < s; r++) {
                j[r * s + c] = (fp[r] - fm[r]) / (2 * EPS);
            }
        }
        return Matrix.of(s, s, j);
    }

    /** Asserts the analytic Jacobian of {@code provider}'s cell matches finite differences at a random point. */
    static void assertMatchesFiniteDifferences(CellProvider provider, CellConfig config, ParameterInit init, long seed) {
        Cell cell = provider.create(config);
        Rng rng = new Rng(seed);
        double[] params = init.initialize(cell, rng);
        double[] x = new double[config.inputSize()];
        double[] state = new double[cell.layout().stateSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.uniform(-1, 1);
        }
        for (int i = 0; i < state.length; i++) {
            state[i] = rng.uniform(-0.9, 0.9);
        }
        Matrix exact = new StepJacobian(cell, params, 0).at(x, 0, state, 0);
        Matrix numeric = finiteDifferences(cell, params, x, state);
        int s = state.length;
        assertEquals(s, exact.rows());
        assertEquals(s, exact.cols());
        double worst = 0, largest = 0;
        for (int r = 0; r < s; r++) {
            for (int c = 0; c < s; c++) {
                double a = exact.get(r, c), n = numeric.get(r, c);
                assertTrue(Math.abs(a - n) <= ATOL + RTOL * Math.abs(n),
                        provider.id() + " J[" + r + "][" + c + "]: analytic " + a + ", numeric " + n);
                worst = Math.max(worst, Math.abs(a - n));
                largest = Math.max(largest, Math.abs(n));
            }
        }
        assertTrue(largest > 1e-2, provider.id() + ": the Jacobian must not be trivially zero");
    }

    @Test
    void elmanJacobianMatchesFiniteDifferences() {
        assertMatchesFiniteDifferences(ElmanTestCell.PROVIDER, new CellConfig(3, 5), ParameterInit.defaults(), 1);
    }

    @Test
    void twoStateJacobianMatchesFiniteDifferencesIncludingTheCrossBlocks() {
        // h|c: ∂c_t/∂c_{t-1} = ½·I on the diagonal block, ∂h_t/∂c_{t-1} and ∂c_t/∂h_{t-1} non-zero
        assertMatchesFiniteDifferences(LeakyTestCell.PROVIDER, new CellConfig(2, 4), ParameterInit.defaults(), 2);
        Cell cell = LeakyTestCell.PROVIDER.create(new CellConfig(2, 4));
        double[] p = ParameterInit.defaults().initialize(cell, new Rng(3));
        Matrix j = new StepJacobian(cell, p, 0).at(new double[] {0.3, -0.2}, 0, new double[] {0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, -0.8}, 0);
        Matrix cc = StepJacobian.diagonalBlock(j, 4, 4);
        // c_t = ½ c_{t-1} + g(h_{t-1}): the c→c block is ½·I exactly
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(r == c ? 0.5 : 0.0, cc.get(r, c), 1e-15);
            }
        }
    }

    @Test
    void gatedCellJacobianMatchesFiniteDifferences() {
        assertMatchesFiniteDifferences(new ProbeProvider(), new CellConfig(3, 6), ParameterInit.defaults(), 4);
    }

    @Test
    void inputsAndStateAreReadFromTheirOffsets() {
        Cell cell = ElmanTestCell.PROVIDER.create(new CellConfig(2, 3));
        double[] p = new double[7 + cell.layout().parameterCount()];
        double[] own = ParameterInit.defaults().initialize(cell, new Rng(5));
        System.arraycopy(own, 0, p, 7, own.length);
        double[] x = {9, 9, 0.4, -0.5}, s = {9, 0.1, 0.2, 0.3};
        Matrix a = new StepJacobian(cell, p, 7).at(x, 2, s, 1);
        Matrix b = new StepJacobian(cell, own, 0).at(new double[] {0.4, -0.5}, 0, new double[] {0.1, 0.2, 0.3}, 0);
        assertEquals(0, a.minus(b).maxAbs());
        assertThrows(ShapeException.class, () -> new StepJacobian(cell, p, 7).at(x, 3, s, 1));
        assertThrows(ShapeException.class, () -> new StepJacobian(cell, new double[3], 0));
    }

    @Test
    void spectralNormBySvdAndByPowerIteration() {
        // small: full SVD
        assertEquals(1.2, StepJacobian.spectralNorm(Matrix.of(4, 4, RecurrentSpectraTest.diagonal())), 1e-14);
        // larger than the SVD limit: power iteration, against the SVD of the same matrix
        int n = StepJacobian.FULL_SVD_MAX + 9;
        Rng rng = new Rng(6);
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian() / Math.sqrt(n);
        }
        Matrix m = Matrix.of(n, n, a);
        assertEquals(Svd.singularValues(m)[0], StepJacobian.spectralNorm(m), 1e-6);
    }
}
