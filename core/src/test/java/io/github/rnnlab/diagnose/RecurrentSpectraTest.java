package io.github.rnnlab.diagnose;

import io.github.rnnlab.cell.Cell;
import io.github.rnnlab.cell.CellConfig;
import io.github.rnnlab.cell.ProbeProvider;
import io.github.rnnlab.fixture.LeakyTestCell;
import io.github.rnnlab.nn.RecurrentConfig;
import io.github.rnnlab.nn.SequenceModel;
import io.github.rnnlab.numeric.F32Ops;
import io.github.rnnlab.numeric.F64Ops;
import io.github.rnnlab.numeric.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spectra of recurrent weight blocks with known eigenvalues and singular values placed into a model's parameters. */
class RecurrentSpectraTest {

    /** diag(0.5, 0.9, −1.2, 0.3): ρ = 1.2, σ = 1.2, 0.9, 0.5, 0.3. */
    static double[] diagonal() {
        double[] a = new double[16];
        double[] d = {0.5, 0.9, -1.2, 0.3};
        for (int i = 0; i < 4; i++) {
            a[i * 4 + i] = d[i];
        }
        return a;
    }

    /**
     * blockdiag(1.5·R(θ), [[0.5, 2], [0, 0.25]]): eigenvalues 1.5·e^{±iθ}, 0.5, 0.25, so ρ = 1.5; singular
     * values 1.5, 1.5 and those of the non-normal 2×2 block, the square roots of the eigenvalues of
     * [[0.25, 1], [1, 4.0625]].
     */
    static double[] rotationAndShear() {
        double th = 0.7, c = 1.5 * Math.cos(th), s = 1.5 * Math.sin(th);
        return new double[] {
            c, -s, 0, 0,
            s, c, 0, 0,
            0, 0, 0.5, 2,
            0, 0, 0, 0.25};
    }

    static double[] shearSingularValues() {
        double tr = 0.25 + 4.0625, det = 0.25 * 4.0625 - 1;
        double disc = Math.sqrt(tr * tr - 4 * det);
        return new double[] {Math.sqrt((tr + disc) / 2), Math.sqrt((tr - disc) / 2)};
    }

    @Test
    void gateBlocksOfAModelsRecurrentWeightHaveTheirSpectra() {
        // the probe cell has 2 gates: weight_hh is (2H, H); gate 0 rows 0..H-1, gate 1 rows H..2H-1
        SequenceModel<float[]> m = SequenceModel.create(F32Ops.standard(), new ProbeProvider(), new SequenceModel.Config(
                new SequenceModel.Features(3), new RecurrentConfig(3, 4), 1, SequenceModel.Objective.MEAN_SQUARED_ERROR), new Rng(1));
        double[] w = new double[32];
        System.arraycopy(diagonal(), 0, w, 0, 16);
        System.arraycopy(rotationAndShear(), 0, w, 16, 16);
        m.parameters().set("rnn.weight_hh_l0", w);
        List<RecurrentSpectra.BlockSpectrum> s = RecurrentSpectra.of(m.parameters(), new ProbeProvider());
        assertEquals(2, s.size());
        RecurrentSpectra.BlockSpectrum g0 = s.get(0), g1 = s.get(1);
        assertEquals("rnn.weight_hh_l0", g0.parameter());
        assertEquals(0, g0.gate());
        assertEquals(1, g1.gate());
        assertEquals(2, g0.gates());
        assertEquals("rnn.weight_hh_l0[gate 1/2]", g1.label());
        assertEquals(1.2, g0.spectralRadius(), 1e-6);
        assertArrayEquals(new double[] {1.2, 0.9, 0.5, 0.3}, g0.singularValues(), 1e-6);
        assertEquals(1.5, g1.spectralRadius(), 1e-6);
        double[] shear = shearSingularValues();
        double[] want = {shear[0], 1.5, 1.5, shear[1]};
        Arrays.sort(want);
        double[] got = g1.singularValues();
        Arrays.sort(got);
        assertArrayEquals(want, got, 1e-6);
        assertEquals(shear[0], g1.largestSingularValue(), 1e-6);
        assertTrue(shear[0] > 1.5, "the shear block's σ₁ exceeds its ρ: non-normal");
    }

    @Test
    void aSingleGateCellsWeightIsOneBlockAndStacksAreCovered() {
        // two layers of the leaky test cell (1 gate): each weight_hh_lk is one block
        SequenceModel<double[]> m = SequenceModel.create(F64Ops.INSTANCE, LeakyTestCell.PROVIDER, new SequenceModel.Config(
                new SequenceModel.Features(2), new RecurrentConfig(2, 4).withLayers(2), 1, SequenceModel.Objective.MEAN_SQUARED_ERROR),
                new Rng(2));
        m.parameters().set("rnn.weight_hh_l1", rotationAndShear());
        List<RecurrentSpectra.BlockSpectrum> s = RecurrentSpectra.of(m.parameters(), LeakyTestCell.PROVIDER);
        assertEquals(List.of("rnn.weight_hh_l0", "rnn.weight_hh_l1"), s.stream().map(RecurrentSpectra.BlockSpectrum::parameter).toList());
        assertEquals(-1, s.get(1).gate());
        assertEquals("rnn.weight_hh_l1", s.get(1).label());
        assertEquals(1.5, s.get(1).spectralRadius(), 1e-12);
        // layer 0 is PyTorch-uniform: every σ ≤ the Frobenius norm, ρ ≤ σ₁
        RecurrentSpectra.BlockSpectrum l0 = s.get(0);
        assertTrue(l0.spectralRadius() <= l0.largestSingularValue() + 1e-12);
    }

    @Test
    void aCellsFlatVectorCanBeReadDirectly() {
        Cell cell = new ProbeProvider().create(new CellConfig(3, 4));
        double[] p = new double[5 + cell.layout().parameterCount()];
        int off = 5 + cell.layout().parameter("weight_hh").offset();
        System.arraycopy(rotationAndShear(), 0, p, off, 16);
        System.arraycopy(diagonal(), 0, p, off + 16, 16);
        List<RecurrentSpectra.BlockSpectrum> s = RecurrentSpectra.of(cell.layout(), cell.config(), 2, p, 5);
        assertEquals("weight_hh", s.get(0).parameter());
        assertEquals(1.5, s.get(0).spectralRadius(), 1e-12);
        assertEquals(1.2, s.get(1).spectralRadius(), 1e-12);
        // with a gate count that does not match the rows, the (2H, H) block is one non-square block: σ only
        List<RecurrentSpectra.BlockSpectrum> whole = RecurrentSpectra.of(cell.layout(), cell.config(), 3, p, 5);
        assertEquals(1, whole.size());
        assertTrue(Double.isNaN(whole.get(0).spectralRadius()));
        assertEquals(4, whole.get(0).singularValues().length);
    }
}
